/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef NOOK_ASM_IRQ_H
#define NOOK_ASM_IRQ_H
#endif
