/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Code faults: a fault-injection trial's mutation of the driver's own machine code, as the
 * SWIFI literature makes them (a flipped bit, a swapped register, a corrupted pointer, a
 * deleted instruction, store or branch, an inverted branch, an off-by-one bound). The plan
 * (tests/fault/nook-swifi) gives each as
 *
 *   code:VADDR:ORIG:NEW
 *
 * VADDR the instruction's address in the program's ELF image (its symbol table's value,
 * relative to where the PIE is loaded), ORIG its bytes (checked: a plan made for another
 * build is refused) and NEW what replaces them, as many bytes.
 *
 * The mutation is armed before the driver locks itself down (seccomp refuses PROT_EXEC
 * changes after): the first byte becomes a breakpoint (int3), and the instruction's page
 * stays writable. When the driver first reaches the instruction, the trap writes NEW in
 * place, reports the fault as fired (nook/fault-plan.h) and resumes at the mutated
 * instruction: a trial tells a fault that never ran from one that ran without effect.
 * Only a driver program started for a trial (--fault) has a writable code page.
 *
 * A campaign first learns which of the driver's functions its workload runs, with probes:
 *
 *   probe:VADDR:BYTE
 *
 * a breakpoint at a function's first instruction (whose first byte is BYTE) that, when hit,
 * puts the byte back and reports "probe:VADDR" as fired, costing the function nothing after.
 */
#ifndef NOOK_SHIMS_CODE_FAULT_H
#define NOOK_SHIMS_CODE_FAULT_H

#include <stddef.h>

/* Arm @spec. -EINVAL with @err saying why (malformed, outside the code, bytes differ). */
int nook_code_fault_add(const char *spec, char *err, size_t errlen);

/* Arm a probe:VADDR:BYTE; as nook_code_fault_add. At most NOOK_CODE_PROBES of them. */
#define NOOK_CODE_PROBES 4096
int nook_code_probe_add(const char *spec, char *err, size_t errlen);

#endif
