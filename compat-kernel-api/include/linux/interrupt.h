/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Interrupt handlers run from the driver process's loop when the device's eventfd fires;
 * tasklets and NAPI polls run right after, as softirqs.
 */
#ifndef NOOK_LINUX_INTERRUPT_H
#define NOOK_LINUX_INTERRUPT_H

#include <linux/types.h>
#include <linux/irqreturn.h>
#include <linux/list.h>
#include <linux/hardirq.h>

typedef irqreturn_t (*irq_handler_t)(int irq, void *dev_id);

#define IRQF_SHARED 0x00000080
#define IRQF_PROBE_SHARED 0x00000100
#define IRQF_ONESHOT 0x00002000
#define IRQF_NO_SUSPEND 0x00004000
#define IRQF_TRIGGER_NONE 0x00000000

int request_irq(unsigned int irq, irq_handler_t handler, unsigned long flags, const char *name,
		void *dev_id);
int request_threaded_irq(unsigned int irq, irq_handler_t handler, irq_handler_t thread_fn,
			 unsigned long flags, const char *name, void *dev_id);
const void *free_irq(unsigned int irq, void *dev_id);
void disable_irq(unsigned int irq);
void disable_irq_nosync(unsigned int irq);
bool disable_hardirq(unsigned int irq);
void enable_irq(unsigned int irq);
void synchronize_irq(unsigned int irq);
struct device;
int devm_request_irq(struct device *dev, unsigned int irq, irq_handler_t handler,
		     unsigned long flags, const char *name, void *dev_id);

struct tasklet_struct {
	struct list_head entry;
	void (*func)(unsigned long data);
	void (*callback)(struct tasklet_struct *t);
	unsigned long data;
	bool use_callback;
	bool nook_scheduled;
	int nook_disabled;
};
void tasklet_init(struct tasklet_struct *t, void (*func)(unsigned long), unsigned long data);
void tasklet_setup(struct tasklet_struct *t, void (*callback)(struct tasklet_struct *));
void tasklet_schedule(struct tasklet_struct *t);
#define tasklet_hi_schedule tasklet_schedule
void tasklet_kill(struct tasklet_struct *t);
#define tasklet_disable(t) ((t)->nook_disabled++)
#define tasklet_enable(t) ((t)->nook_disabled--)
#define from_tasklet(var, t, field) container_of(t, __typeof__(*var), field)

/* ISA interrupt autoprobing: only ISA and VLB probes call these, and nook runs none of them
 * (they are stubs.list's). */
unsigned long probe_irq_on(void);
int probe_irq_off(unsigned long mask);

#endif
