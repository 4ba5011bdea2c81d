/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * MII: the register and bit names come from the system's UAPI header; the PHY-access
 * descriptor a driver fills in (struct mii_if_info), the generic MII library's entry points
 * (drivers/net/mii.c, which a driver that uses them compiles from Linux's source) and the
 * conversions between MII register bits and ethtool's ADVERTISED_* bits are declared here.
 */
#ifndef NOOK_LINUX_MII_H
#define NOOK_LINUX_MII_H
#include <linux/if.h>
#include <linux/ethtool.h>
#include_next <linux/mii.h>
#include <linux/sockios.h>

struct net_device;

struct mii_if_info {
	int phy_id;
	int advertising;
	int phy_id_mask;
	int reg_num_mask;

	unsigned int full_duplex : 1;	/* is full duplex? */
	unsigned int force_media : 1;	/* is autoneg. disabled? */
	unsigned int supports_gmii : 1; /* are GMII registers supported? */

	struct net_device *dev;
	int (*mdio_read)(struct net_device *dev, int phy_id, int location);
	void (*mdio_write)(struct net_device *dev, int phy_id, int location, int val);
};

int mii_link_ok(struct mii_if_info *mii);
int mii_nway_restart(struct mii_if_info *mii);
void mii_ethtool_gset(struct mii_if_info *mii, struct ethtool_cmd *ecmd);
void mii_ethtool_get_link_ksettings(struct mii_if_info *mii, struct ethtool_link_ksettings *cmd);
int mii_ethtool_sset(struct mii_if_info *mii, struct ethtool_cmd *ecmd);
int mii_ethtool_set_link_ksettings(struct mii_if_info *mii,
				   const struct ethtool_link_ksettings *cmd);
int mii_check_gmii_support(struct mii_if_info *mii);
void mii_check_link(struct mii_if_info *mii);
unsigned int mii_check_media(struct mii_if_info *mii, unsigned int ok_to_print,
			     unsigned int init_media);
int generic_mii_ioctl(struct mii_if_info *mii_if, struct mii_ioctl_data *mii_data, int cmd,
		      unsigned int *duplex_changed);

static inline struct mii_ioctl_data *if_mii(struct ifreq *rq)
{
	return (struct mii_ioctl_data *)&rq->ifr_ifru;
}

/* The best mode both ends advertised (the bits of @negotiated), by 802.3's priority. */
static inline unsigned int mii_nway_result(unsigned int negotiated)
{
	static const unsigned int best_first[] = { LPA_100FULL, LPA_100BASE4, LPA_100HALF,
						   LPA_10FULL };

	for (unsigned int i = 0; i < sizeof(best_first) / sizeof(best_first[0]); i++)
		if (negotiated & best_first[i])
			return best_first[i];
	return LPA_10HALF;
}

/* Full duplex, unless the setting is locked: then what it was locked to. */
static inline unsigned int mii_duplex(unsigned int duplex_lock, unsigned int duplex_mode)
{
	if (duplex_lock)
		return 1;
	return mii_nway_result(duplex_mode) & (LPA_10FULL | LPA_100FULL) ? 1 : 0;
}

/* MII_ADVERTISE (and MII_LPA, whose low bits have the same layout) <-> ethtool bits. */
static inline u32 ethtool_adv_to_mii_adv_t(u32 ethadv)
{
	u32 adv = 0;

	if (ethadv & ADVERTISED_10baseT_Half)
		adv |= ADVERTISE_10HALF;
	if (ethadv & ADVERTISED_10baseT_Full)
		adv |= ADVERTISE_10FULL;
	if (ethadv & ADVERTISED_100baseT_Half)
		adv |= ADVERTISE_100HALF;
	if (ethadv & ADVERTISED_100baseT_Full)
		adv |= ADVERTISE_100FULL;
	if (ethadv & ADVERTISED_Pause)
		adv |= ADVERTISE_PAUSE_CAP;
	if (ethadv & ADVERTISED_Asym_Pause)
		adv |= ADVERTISE_PAUSE_ASYM;
	return adv;
}

static inline u32 mii_adv_to_ethtool_adv_t(u32 adv)
{
	u32 ethadv = 0;

	if (adv & ADVERTISE_10HALF)
		ethadv |= ADVERTISED_10baseT_Half;
	if (adv & ADVERTISE_10FULL)
		ethadv |= ADVERTISED_10baseT_Full;
	if (adv & ADVERTISE_100HALF)
		ethadv |= ADVERTISED_100baseT_Half;
	if (adv & ADVERTISE_100FULL)
		ethadv |= ADVERTISED_100baseT_Full;
	if (adv & ADVERTISE_PAUSE_CAP)
		ethadv |= ADVERTISED_Pause;
	if (adv & ADVERTISE_PAUSE_ASYM)
		ethadv |= ADVERTISED_Asym_Pause;
	return ethadv;
}

/* The link partner's abilities: its advertisement, and whether it acknowledged ours. */
static inline u32 mii_lpa_to_ethtool_lpa_t(u32 lpa)
{
	u32 ethadv = mii_adv_to_ethtool_adv_t(lpa);

	if (lpa & LPA_LPACK)
		ethadv |= ADVERTISED_Autoneg;
	return ethadv;
}

/* MII_CTRL1000 (what we advertise of 1000BASE-T) and MII_STAT1000 (what the partner does). */
static inline u32 ethtool_adv_to_mii_ctrl1000_t(u32 ethadv)
{
	u32 adv = 0;

	if (ethadv & ADVERTISED_1000baseT_Half)
		adv |= ADVERTISE_1000HALF;
	if (ethadv & ADVERTISED_1000baseT_Full)
		adv |= ADVERTISE_1000FULL;
	return adv;
}

static inline u32 mii_ctrl1000_to_ethtool_adv_t(u32 adv)
{
	u32 ethadv = 0;

	if (adv & ADVERTISE_1000HALF)
		ethadv |= ADVERTISED_1000baseT_Half;
	if (adv & ADVERTISE_1000FULL)
		ethadv |= ADVERTISED_1000baseT_Full;
	return ethadv;
}

static inline u32 mii_stat1000_to_ethtool_lpa_t(u32 lpa)
{
	u32 ethadv = 0;

	if (lpa & LPA_1000HALF)
		ethadv |= ADVERTISED_1000baseT_Half;
	if (lpa & LPA_1000FULL)
		ethadv |= ADVERTISED_1000baseT_Full;
	return ethadv;
}

#endif
