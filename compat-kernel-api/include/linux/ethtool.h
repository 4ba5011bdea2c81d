/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * ethtool: the UAPI structures come from the system's headers; the driver-side operations
 * table and the link-mode helpers are written here.
 */
#ifndef NOOK_LINUX_ETHTOOL_H
#define NOOK_LINUX_ETHTOOL_H

#include <linux/types.h>
#include <linux/bitmap.h>
#include_next <linux/ethtool.h>

struct net_device;
struct netlink_ext_ack;

#define __ETHTOOL_LINK_MODE_MASK_NWORDS BITS_TO_LONGS(__ETHTOOL_LINK_MODE_MASK_NBITS)

struct ethtool_link_ksettings {
	struct ethtool_link_settings base;
	struct {
		DECLARE_BITMAP(supported, __ETHTOOL_LINK_MODE_MASK_NBITS);
		DECLARE_BITMAP(advertising, __ETHTOOL_LINK_MODE_MASK_NBITS);
		DECLARE_BITMAP(lp_advertising, __ETHTOOL_LINK_MODE_MASK_NBITS);
	} link_modes;
	u32 lanes;
};

struct kernel_ethtool_ringparam {
	u32 rx_buf_len;
	u8 tcp_data_split;
	u8 tx_push;
	u32 cqe_size;
};

struct kernel_ethtool_coalesce {
	u8 use_cqe_mode_tx;
	u8 use_cqe_mode_rx;
};

#define ETHTOOL_COALESCE_RX_USECS BIT(0)
#define ETHTOOL_COALESCE_RX_MAX_FRAMES BIT(1)
#define ETHTOOL_COALESCE_TX_USECS BIT(10)
#define ETHTOOL_COALESCE_USECS (ETHTOOL_COALESCE_RX_USECS | ETHTOOL_COALESCE_TX_USECS)

enum ethtool_phys_id_state {
	ETHTOOL_ID_INACTIVE,
	ETHTOOL_ID_ACTIVE,
	ETHTOOL_ID_ON,
	ETHTOOL_ID_OFF
};

struct ethtool_ops {
	u32 cap_link_lanes_supported : 1;
	u32 supported_coalesce_params;
	u32 supported_ring_params;
	void (*get_drvinfo)(struct net_device *, struct ethtool_drvinfo *);
	int (*get_regs_len)(struct net_device *);
	void (*get_regs)(struct net_device *, struct ethtool_regs *, void *);
	void (*get_wol)(struct net_device *, struct ethtool_wolinfo *);
	int (*set_wol)(struct net_device *, struct ethtool_wolinfo *);
	u32 (*get_msglevel)(struct net_device *);
	void (*set_msglevel)(struct net_device *, u32);
	int (*nway_reset)(struct net_device *);
	u32 (*get_link)(struct net_device *);
	int (*get_eeprom_len)(struct net_device *);
	int (*get_eeprom)(struct net_device *, struct ethtool_eeprom *, u8 *);
	int (*set_eeprom)(struct net_device *, struct ethtool_eeprom *, u8 *);
	int (*get_coalesce)(struct net_device *, struct ethtool_coalesce *,
			    struct kernel_ethtool_coalesce *, struct netlink_ext_ack *);
	int (*set_coalesce)(struct net_device *, struct ethtool_coalesce *,
			    struct kernel_ethtool_coalesce *, struct netlink_ext_ack *);
	void (*get_ringparam)(struct net_device *, struct ethtool_ringparam *,
			      struct kernel_ethtool_ringparam *, struct netlink_ext_ack *);
	int (*set_ringparam)(struct net_device *, struct ethtool_ringparam *,
			     struct kernel_ethtool_ringparam *, struct netlink_ext_ack *);
	void (*get_pauseparam)(struct net_device *, struct ethtool_pauseparam *);
	int (*set_pauseparam)(struct net_device *, struct ethtool_pauseparam *);
	void (*self_test)(struct net_device *, struct ethtool_test *, u64 *);
	void (*get_strings)(struct net_device *, u32 stringset, u8 *);
	int (*set_phys_id)(struct net_device *, enum ethtool_phys_id_state);
	void (*get_ethtool_stats)(struct net_device *, struct ethtool_stats *, u64 *);
	int (*begin)(struct net_device *);
	void (*complete)(struct net_device *);
	int (*get_sset_count)(struct net_device *, int);
	int (*get_ts_info)(struct net_device *, struct ethtool_ts_info *);
	int (*get_link_ksettings)(struct net_device *, struct ethtool_link_ksettings *);
	int (*set_link_ksettings)(struct net_device *, const struct ethtool_link_ksettings *);
};

void ethtool_convert_legacy_u32_to_link_mode(unsigned long *dst, u32 legacy_u32);
bool ethtool_convert_link_mode_to_legacy_u32(u32 *legacy_u32, const unsigned long *src);
#define ethtool_link_ksettings_zero_link_mode(ptr, name) \
	bitmap_zero((ptr)->link_modes.name, __ETHTOOL_LINK_MODE_MASK_NBITS)
#define ethtool_link_ksettings_add_link_mode(ptr, name, mode) \
	__set_bit(ETHTOOL_LINK_MODE_##mode##_BIT, (ptr)->link_modes.name)
#define ethtool_link_ksettings_test_link_mode(ptr, name, mode) \
	test_bit(ETHTOOL_LINK_MODE_##mode##_BIT, (ptr)->link_modes.name)
u32 ethtool_op_get_link(struct net_device *dev);
int ethtool_op_get_ts_info(struct net_device *dev, struct ethtool_ts_info *info);

#endif
