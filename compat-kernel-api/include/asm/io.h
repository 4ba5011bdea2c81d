/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Device I/O. A memory BAR is mmapped into the process, so readl/writel are plain
 * volatile accesses with a compiler barrier (x86 keeps them in order with memory). Port
 * I/O (inb/outl ...) has no instructions here: a port is a cookie naming a BAR and an
 * offset, and the access goes through VFIO's region of that BAR.
 */
#ifndef NOOK_ASM_IO_H
#define NOOK_ASM_IO_H

#include <nook/noop.h>

#include <linux/types.h>
#include <linux/compiler.h>
#include <asm/barrier.h>
#include <nook/fault-plan.h>

/*
 * A device that reads all ones at every register has left the bus (a surprise removal) or
 * is wedged: no working device returns nothing but ones from NOOK_MMIO_ONES_LIMIT 32-bit
 * reads in a row at more than one address. The driver does not know (its link bit reads as
 * up, its interrupt causes as all pending); the process stops itself (fail-stop), and nookd
 * restarts it, or gives up on a device that is gone. Narrower reads neither count nor break
 * a run: an AC'97 codec answers 0xffff for registers it lacks, a probe reads many of them.
 */
#define NOOK_MMIO_ONES_LIMIT 256
extern unsigned int nook_mmio_ones_run;
extern unsigned long nook_mmio_ones_first;
extern bool nook_mmio_ones_spread;
void nook_mmio_ones_stop(void) __attribute__((noreturn));

static inline void nook_mmio_note(unsigned long where, bool ones)
{
	if (!ones) {
		nook_mmio_ones_run = 0;
		return;
	}
	if (!nook_mmio_ones_run++) {
		nook_mmio_ones_first = where;
		nook_mmio_ones_spread = false;
	} else if (where != nook_mmio_ones_first) {
		nook_mmio_ones_spread = true;
	}
	if (nook_mmio_ones_run >= NOOK_MMIO_ONES_LIMIT && nook_mmio_ones_spread)
		nook_mmio_ones_stop();
}

/* A planned device fault (nook/fault-plan.h) may change what a register read returns. */
#define __nook_mmio_read(type, addr)                                                   \
	({                                                                             \
		type __v = *(const volatile type *)(addr);                             \
		barrier();                                                             \
		if (nook_fault_planned(NOOK_FAULT_SITE_MMIO_READ))                     \
			__v = (type)nook_fault_plan_mmio_read(__v, sizeof(type));      \
		if (sizeof(type) >= 4)                                                 \
			nook_mmio_note((unsigned long)(addr), __v == (type) ~(type)0); \
		__v;                                                                   \
	})
#define __nook_mmio_write(type, val, addr)        \
	({                                        \
		barrier();                        \
		*(volatile type *)(addr) = (val); \
		(void)0;                          \
	})

#define readb(a) __nook_mmio_read(u8, a)
#define readw(a) __nook_mmio_read(u16, a)
#define readl(a) __nook_mmio_read(u32, a)
#define readq(a) __nook_mmio_read(u64, a)
#define writeb(v, a) __nook_mmio_write(u8, v, a)
#define writew(v, a) __nook_mmio_write(u16, v, a)
#define writel(v, a) __nook_mmio_write(u32, v, a)
#define writeq(v, a) __nook_mmio_write(u64, v, a)
#define readl_relaxed readl
#define writel_relaxed writel
#define __raw_readl readl
#define __raw_writel writel

u32 nook_port_in(unsigned long port, unsigned int width);
void nook_port_out(unsigned long port, u32 value, unsigned int width);
#define inb(p) ((u8)nook_port_in((p), 1))
#define inw(p) ((u16)nook_port_in((p), 2))
#define inl(p) ((u32)nook_port_in((p), 4))
#define outb(v, p) nook_port_out((p), (v), 1)
#define outw(v, p) nook_port_out((p), (v), 2)
#define outl(v, p) nook_port_out((p), (v), 4)
#define inb_p inb
#define outb_p outb

/* ioread/iowrite take either a mapped BAR address or a port cookie (pci_iomap of I/O). */
u32 nook_ioread(const void __iomem *addr, unsigned int width);
void nook_iowrite(u32 value, void __iomem *addr, unsigned int width);
#define ioread8(a) ((u8)nook_ioread((a), 1))
#define ioread16(a) ((u16)nook_ioread((a), 2))
#define ioread32(a) ((u32)nook_ioread((a), 4))
#define iowrite8(v, a) nook_iowrite((v), (a), 1)
#define iowrite16(v, a) nook_iowrite((v), (a), 2)
#define iowrite32(v, a) nook_iowrite((v), (a), 4)
void nook_ioread_rep(const void __iomem *addr, void *buf, unsigned long count, unsigned int width);
void nook_iowrite_rep(void __iomem *addr, const void *buf, unsigned long count, unsigned int width);
#define ioread16_rep(a, b, n) nook_ioread_rep((a), (b), (n), 2)
#define ioread32_rep(a, b, n) nook_ioread_rep((a), (b), (n), 4)
#define iowrite16_rep(a, b, n) nook_iowrite_rep((a), (b), (n), 2)
#define iowrite32_rep(a, b, n) nook_iowrite_rep((a), (b), (n), 4)

void __iomem *nook_ioremap(resource_size_t addr, unsigned long size);
void nook_iounmap(volatile void __iomem *addr);
#define ioremap(a, s) nook_ioremap((a), (s))
#define ioremap_nocache ioremap
#define ioremap_wc ioremap
#define iounmap(a) nook_iounmap(a)

#define mmiowb() NOOK_NOOP("x86 orders writes to MMIO already")

/* Physical addresses mean nothing in a driver process; the arena has IOVAs instead. */
static inline void *nook_phys_to_virt_unsupported(unsigned long pa)
{
	extern void nook_bug(const char *file, int line, const char *what)
		__attribute__((noreturn));
	nook_bug(__FILE__, __LINE__, "phys_to_virt is not available in a driver process");
}
#define phys_to_virt(pa) nook_phys_to_virt_unsupported((unsigned long)(pa))

#define memcpy_fromio(dst, src, n) memcpy((dst), (const void *)(src), (n))
#define memcpy_toio(dst, src, n) memcpy((void *)(dst), (src), (n))
#define memset_io(dst, c, n) memset((void *)(dst), (c), (n))

#endif
