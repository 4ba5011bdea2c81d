// SPDX-License-Identifier: GPL-2.0-only
/*
 * Interrupts. The host signals a vector of the device (an eventfd fired); the loop runs the
 * handlers requested for the matching irq number, in atomic context. VFIO masked INTx when
 * it fired; it is unmasked (nook_irq_unmask_due) once the loop has also run the bottom
 * halves the handlers scheduled, so that a NAPI poll and the transmits it completes are not
 * interrupted by the device they serve: the unmask is a system call that waits for QEMU's
 * lock, and a level interrupt still pending fires again as soon as it is done. Handlers never
 * run concurrently with other kernel code, so synchronize_irq() has nothing to wait for.
 */
#include <linux/kernel.h>
#include <linux/interrupt.h>
#include <linux/jiffies.h>
#include <linux/pci.h>
#include <nook/fault.h>
#include <nook/host.h>
#include <nook/pci.h>

#include "internal.h"

#define INTX_IRQ 1
#define MSI_IRQ_BASE 16
#define MAX_IRQS 48
#define MAX_HANDLERS 4

struct irq_action {
	irq_handler_t handler;
	void *dev_id;
	const char *name;
};

/*
 * Linux's spurious-interrupt detector (kernel/irq/spurious.c, note_interrupt): out of a
 * window of interrupts on a line, if all but a few were claimed by no handler (each returned
 * IRQ_NONE), nobody is dealing with what the device raises: "irq N: nobody cared", and the
 * line is disabled. Linux's window is 100,000 interrupts with more than 99,900 unhandled.
 * Here it is a tenth of that, at Linux's ratio: 10,000, with more than 9,990 unhandled. A
 * storm costs a driver process more than it costs a kernel: each interrupt is a wake-up, an
 * eventfd read and (INTx) an unmask system call, from which VFIO signals a line still
 * asserted again at once. In the test guest an unclaimed INTx storm fills this window in
 * about 0.1 s (silent-nic measured it), Linux's in about a second of a CPU burnt. No working
 * driver leaves 9,990 of 10,000 interrupts in a row unclaimed: VFIO signals only its own
 * device's, never a neighbour's on a shared line. As in Linux, an unhandled interrupt more
 * than 100 ms after the last one starts the count of unhandled ones again, so a trickle of
 * stray interrupts never adds up to a storm.
 */
#define NOBODY_CARED_WINDOW 10000
#define NOBODY_CARED_UNHANDLED 9990
#define NOBODY_CARED_GAP_MS 100

struct irq_line {
	struct irq_action actions[MAX_HANDLERS];
	int depth;    /* disable_irq nesting */
	bool pending; /* fired while disabled */
	/* the spurious-interrupt detector's counts */
	unsigned int count, unhandled;
	unsigned long last_unhandled; /* jiffies */
};

static struct irq_line lines[MAX_IRQS];
static struct pci_dev *irq_dev;
static int irq_type = -1;
/* INTx fired and its handlers ran: unmask once the softirqs they raised have run. */
static struct nook_host_pci *intx_unmask_due;

void nook_irq_set_device(struct pci_dev *dev)
{
	irq_dev = dev;
}

static struct irq_line *line_of(unsigned int irq)
{
	return irq < MAX_IRQS ? &lines[irq] : NULL;
}

/* A storm nobody handles: the line goes off and the driver process stops (fail-stop). */
static void nobody_cared(unsigned int irq, struct irq_line *l)
{
	char msg[160];

	printk(KERN_EMERG "irq %u: nobody cared (%u of the last %u interrupts unhandled)\n", irq,
	       l->unhandled, l->count);
	printk(KERN_EMERG "Disabling IRQ #%u\n", irq);
	l->depth++;
	snprintf(msg, sizeof(msg),
		 "interrupt storm: irq %u: nobody cared (%u of %u interrupts "
		 "unhandled)",
		 irq, l->unhandled, l->count);
	nook_fatal(msg);
}

static void note_interrupt(unsigned int irq, struct irq_line *l, irqreturn_t ret)
{
	if (ret == IRQ_NONE) {
		unsigned long now = jiffies;

		if (time_after(now, l->last_unhandled + msecs_to_jiffies(NOBODY_CARED_GAP_MS)))
			l->unhandled = 1;
		else
			l->unhandled++;
		l->last_unhandled = now;
	}
	if (++l->count < NOBODY_CARED_WINDOW)
		return;
	if (l->unhandled > NOBODY_CARED_UNHANDLED)
		nobody_cared(irq, l);
	l->count = 0;
	l->unhandled = 0;
}

static void run_handlers(unsigned int irq)
{
	struct irq_line *l = line_of(irq);
	irqreturn_t ret = IRQ_NONE;

	if (!l)
		return;
	if (l->depth > 0) {
		l->pending = true;
		return;
	}
	nook_fault_point(); /* an injected fault fires in the driver's interrupt context */
	for (int i = 0; i < MAX_HANDLERS; i++)
		if (l->actions[i].handler)
			ret |= l->actions[i].handler((int)irq, l->actions[i].dev_id);
	note_interrupt(irq, l, ret);
}

/* A planned irq-storm: the line that storms (0: none). */
static unsigned int storm_irq;

void nook_kernel_irq(struct nook_host_pci *h, unsigned int vector)
{
	if (!irq_dev)
		return;
	if (nook_fault_planned(NOOK_FAULT_SITE_IRQ)) {
		switch (nook_fault_plan_irq(nook_dma_corrupt_coherent)) {
		case NOOK_FAULT_IRQ_LOSE:
			/* never delivered; INTx stays masked, as a line that no longer fires */
			return;
		case NOOK_FAULT_IRQ_STORM:
			storm_irq =
				irq_type == NOOK_HOST_IRQ_INTX ? INTX_IRQ : MSI_IRQ_BASE + vector;
			break;
		case NOOK_FAULT_IRQ_DELIVER:
			break;
		}
	}
	if (irq_type == NOOK_HOST_IRQ_INTX) {
		run_handlers(INTX_IRQ);
		intx_unmask_due = h;
	} else {
		run_handlers(MSI_IRQ_BASE + vector);
	}
}

bool nook_irq_storm_fire(void)
{
	if (!storm_irq || !irq_dev)
		return false;
	run_handlers(storm_irq);
	return true;
}

void nook_irq_unmask_due(void)
{
	struct nook_host_pci *h = intx_unmask_due;

	if (!h)
		return;
	intx_unmask_due = NULL;
	if (irq_type == NOOK_HOST_IRQ_INTX)
		nook_host_pci_irq_unmask(h);
}

static bool any_handler(void)
{
	for (int irq = 0; irq < MAX_IRQS; irq++)
		for (int i = 0; i < MAX_HANDLERS; i++)
			if (lines[irq].actions[i].handler)
				return true;
	return false;
}

int request_threaded_irq(unsigned int irq, irq_handler_t handler, irq_handler_t thread_fn,
			 unsigned long flags, const char *name, void *dev_id)
{
	struct irq_line *l = line_of(irq);
	int type, r;

	if (!l || !irq_dev)
		return -EINVAL;
	if (thread_fn)
		nook_fatal(
			"threaded interrupt handlers are not implemented (request_threaded_irq)");
	if (nook_fault_fails(NOOK_FAULT_SITE_REQUEST_IRQ))
		return -EBUSY; /* a planned fault: the line is taken, as another driver might */
	for (int i = 0; i < MAX_HANDLERS; i++) {
		if (l->actions[i].handler)
			continue;
		type = irq >= MSI_IRQ_BASE ?
			       (irq_dev->msix_enabled ? NOOK_HOST_IRQ_MSIX : NOOK_HOST_IRQ_MSI) :
			       NOOK_HOST_IRQ_INTX;
		if (irq_type < 0) {
			unsigned int count =
				type == NOOK_HOST_IRQ_INTX ?
					1 :
					nook_host_pci_irq_count(irq_dev->nook_host, type);

			r = nook_host_pci_irq_enable(irq_dev->nook_host, type, count ? count : 1);
			if (r < 0)
				return r;
			irq_type = type;
		}
		l->actions[i] = (struct irq_action){ handler, dev_id, name };
		/* As Linux: a new handler may care where the old ones did not; count afresh. */
		l->count = l->unhandled = 0;
		return 0;
	}
	return -EBUSY;
}

int request_irq(unsigned int irq, irq_handler_t handler, unsigned long flags, const char *name,
		void *dev_id)
{
	return request_threaded_irq(irq, handler, NULL, flags, name, dev_id);
}

const void *free_irq(unsigned int irq, void *dev_id)
{
	struct irq_line *l = line_of(irq);
	const char *name = NULL;

	if (!l)
		return NULL;
	for (int i = 0; i < MAX_HANDLERS; i++)
		if (l->actions[i].handler && l->actions[i].dev_id == dev_id) {
			name = l->actions[i].name;
			l->actions[i] = (struct irq_action){ 0 };
			break;
		}
	if (!any_handler() && irq_type >= 0) {
		nook_host_pci_irq_disable(irq_dev->nook_host);
		irq_type = -1;
		intx_unmask_due = NULL;
	}
	return name;
}

void disable_irq_nosync(unsigned int irq)
{
	struct irq_line *l = line_of(irq);

	if (l)
		l->depth++;
}

void disable_irq(unsigned int irq)
{
	disable_irq_nosync(irq);
}

bool disable_hardirq(unsigned int irq)
{
	disable_irq_nosync(irq);
	return true;
}

void enable_irq(unsigned int irq)
{
	struct irq_line *l = line_of(irq);

	if (!l || l->depth == 0)
		return;
	if (--l->depth == 0 && l->pending) {
		l->pending = false;
		run_handlers(irq);
	}
}

void synchronize_irq(unsigned int irq)
{
}

int pci_enable_msi(struct pci_dev *dev)
{
	if (!nook_host_pci_irq_count(dev->nook_host, NOOK_HOST_IRQ_MSI))
		return -EINVAL;
	dev->msi_enabled = 1;
	dev->irq = MSI_IRQ_BASE;
	return 0;
}

void pci_disable_msi(struct pci_dev *dev)
{
	dev->msi_enabled = 0;
	dev->irq = INTX_IRQ;
}

int pci_alloc_irq_vectors(struct pci_dev *dev, unsigned int min_vecs, unsigned int max_vecs,
			  unsigned int flags)
{
	unsigned int n;

	if ((flags & PCI_IRQ_MSIX) &&
	    (n = nook_host_pci_irq_count(dev->nook_host, NOOK_HOST_IRQ_MSIX)) >= min_vecs) {
		dev->msix_enabled = 1;
		return (int)min(n, max_vecs);
	}
	if ((flags & PCI_IRQ_MSI) && min_vecs <= 1 && pci_enable_msi(dev) == 0)
		return 1;
	if ((flags & PCI_IRQ_LEGACY) && min_vecs <= 1)
		return 1;
	return -ENOSPC;
}

void pci_free_irq_vectors(struct pci_dev *dev)
{
	dev->msix_enabled = 0;
	pci_disable_msi(dev);
}

int pci_irq_vector(struct pci_dev *dev, unsigned int nr)
{
	if (dev->msix_enabled || dev->msi_enabled)
		return MSI_IRQ_BASE + (int)nr;
	return nr == 0 ? INTX_IRQ : -EINVAL;
}
