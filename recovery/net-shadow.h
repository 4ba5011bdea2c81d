/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The net shadow's record of what a NIC driver was told beyond its link. The link itself
 * (up/down, MTU, MAC, promiscuous and all-multicast, the multicast list) needs no record
 * here: nookd owns the TAP interface, which holds it across driver incarnations, and hands
 * it whole to each new one (LINK). What the interface cannot hold are the ethtool settings
 * an administrator gave the driver through nookd: those are recorded here, once the driver
 * accepted them, and replayed into each new incarnation before its interface opens.
 */
#ifndef NOOK_RECOVERY_NET_SHADOW_H
#define NOOK_RECOVERY_NET_SHADOW_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The settings the shadow knows, as the control channel's ETHTOOL SET names them. */
#define NOOK_SHADOW_SETTINGS "ring-rx, ring-tx, msglevel"

struct nook_net_shadow {
	bool has_ring_rx, has_ring_tx, has_msglevel;
	uint32_t ring_rx, ring_tx, msglevel;
};

void nook_net_shadow_init(struct nook_net_shadow *s);

/*
 * Check "key=value" settings (separated by newlines) without recording them: 0, or
 * -EINVAL with the offending key or value named in @why.
 */
int nook_net_shadow_check(const char *text, char *why, size_t why_len);

/* Record settings the driver accepted (text as for check; later values win). */
int nook_net_shadow_record(struct nook_net_shadow *s, const char *text);

/* What to replay into a new incarnation, as SET text; 0 when nothing was ever set. */
size_t nook_net_shadow_replay(const struct nook_net_shadow *s, char *buf, size_t size);

#endif
