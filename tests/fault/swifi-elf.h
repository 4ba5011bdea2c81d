/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * A driver program's functions, from its ELF64 symbol table, for the SWIFI fault planner.
 * Addresses are the symbol table's (st_value): relative to a PIE's load base.
 */
#ifndef NOOK_SWIFI_ELF_H
#define NOOK_SWIFI_ELF_H

#include <stddef.h>
#include <stdint.h>

struct swifi_elf;

struct swifi_func {
	const char *name; /* in the mapped file's string table */
	uint64_t vaddr;
	uint64_t size;
	const uint8_t *code; /* its size bytes, in the mapped file */
};

/*
 * Maps the file at path and checks it is an x86-64 ELF64 with a symbol table. Errors:
 * -ENOEXEC not an x86-64 ELF64 file, -EBADMSG a header or table points outside the file,
 * -ENODATA no symbol table (stripped), or open()'s and mmap()'s.
 */
int swifi_elf_open(const char *path, struct swifi_elf **ret_elf);
void swifi_elf_close(struct swifi_elf *elf);

/*
 * The functions (STT_FUNC, size > 0, in an executable section) whose name is one of names
 * (sorted with strcmp, each once), in symbol-table order: two static functions of one name
 * are two functions. *ret_funcs is malloc()ed; 0 functions is not an error.
 */
int swifi_elf_functions(const struct swifi_elf *elf, char *const *names, size_t n_names,
			struct swifi_func **ret_funcs, size_t *ret_n);

/*
 * Reads a list of function names, one a line (blank lines and lines starting with # are
 * skipped), sorted and each once, for swifi_elf_functions(). -ENODATA if it names none.
 */
int swifi_names_read(const char *path, char ***ret_names, size_t *ret_n);
void swifi_names_free(char **names, size_t n);

#endif
