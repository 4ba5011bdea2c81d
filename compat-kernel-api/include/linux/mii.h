/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef NOOK_LINUX_MII_H
#define NOOK_LINUX_MII_H
#include <linux/if.h>
#include <linux/ethtool.h>
#include_next <linux/mii.h>
#include <linux/sockios.h>
static inline struct mii_ioctl_data *if_mii(struct ifreq *rq)
{
	return (struct mii_ioctl_data *)&rq->ifr_ifru;
}
#endif
