/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef NOOK_LINUX_DEV_PRINTK_H
#define NOOK_LINUX_DEV_PRINTK_H
#include <linux/printk.h>
struct device;
const char *nook_dev_name(const struct device *dev);
#define dev_printk(level, dev, fmt, ...) printk(level "%s: " fmt, nook_dev_name(dev), ##__VA_ARGS__)
#define dev_emerg(dev, fmt, ...) dev_printk(KERN_EMERG, dev, fmt, ##__VA_ARGS__)
#define dev_crit(dev, fmt, ...) dev_printk(KERN_CRIT, dev, fmt, ##__VA_ARGS__)
#define dev_alert(dev, fmt, ...) dev_printk(KERN_ALERT, dev, fmt, ##__VA_ARGS__)
#define dev_err(dev, fmt, ...) dev_printk(KERN_ERR, dev, fmt, ##__VA_ARGS__)
#define dev_warn(dev, fmt, ...) dev_printk(KERN_WARNING, dev, fmt, ##__VA_ARGS__)
#define dev_notice(dev, fmt, ...) dev_printk(KERN_NOTICE, dev, fmt, ##__VA_ARGS__)
#define dev_info(dev, fmt, ...) dev_printk(KERN_INFO, dev, fmt, ##__VA_ARGS__)
#define dev_dbg(dev, fmt, ...)                                           \
	({                                                               \
		if (nook_debug)                                          \
			dev_printk(KERN_DEBUG, dev, fmt, ##__VA_ARGS__); \
	})
#define dev_err_once dev_err
#define dev_warn_once dev_warn
#define dev_info_once dev_info
#define dev_err_ratelimited dev_err
#define dev_warn_ratelimited dev_warn
#define dev_err_probe(dev, err, fmt, ...)         \
	({                                        \
		dev_err(dev, fmt, ##__VA_ARGS__); \
		(err);                            \
	})
#endif
