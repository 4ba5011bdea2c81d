/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The ISA DMA controller (request_dma and friends). nook drives PCI devices only, whose DMA
 * goes through the DMA API; a driver that includes this for its ISA variants (pcnet32) gets
 * nothing from it, and a call into the ISA DMA API would not compile.
 */
#ifndef NOOK_ASM_DMA_H
#define NOOK_ASM_DMA_H
#endif
