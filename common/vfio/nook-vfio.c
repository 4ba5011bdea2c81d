// SPDX-License-Identifier: GPL-2.0-only
/*
 * nook-vfio: what nook's VFIO backend sees of a device bound to vfio-pci.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "vfio.h"

static const char *region_names[VFIO_PCI_NUM_REGIONS] = {
	"BAR0", "BAR1", "BAR2", "BAR3", "BAR4", "BAR5", "ROM", "config", "VGA",
};

static void usage(FILE *f)
{
	fprintf(f, "usage: nook-vfio info BDF\n"
		   "       nook-vfio read BDF BAR OFFSET [--width 8|16|32|64]\n"
		   "       nook-vfio config BDF [OFFSET [--width 8|16|32]]\n"
		   "       nook-vfio --help | --version\n"
		   "\n"
		   "Opens the PCI device BDF (e.g. 0000:00:04.0, bound to vfio-pci) through VFIO\n"
		   "and shows what nook's backend sees: IDs, IOMMU group, regions, interrupts,\n"
		   "reset; or reads one register of a BAR or of config space.\n");
}

static int parse_u64(const char *s, uint64_t *ret)
{
	char *end;

	errno = 0;
	*ret = strtoull(s, &end, 0);
	return errno || end == s || *end ? -EINVAL : 0;
}

static int cmd_info(struct nook_vfio_dev *dev)
{
	uint32_t vendor = 0, device = 0, class = 0, bar;

	nook_vfio_config_read(dev, 0x00, 2, &vendor);
	nook_vfio_config_read(dev, 0x02, 2, &device);
	nook_vfio_config_read(dev, 0x08, 4, &class);
	printf("%s  %04x:%04x  class %06x  IOMMU group %d\n", dev->addr, vendor, device, class >> 8,
	       dev->group);
	printf("  reset: %s\n",
	       dev->flags & VFIO_DEVICE_FLAGS_RESET ? "supported" : "not supported");
	for (unsigned int i = 0; i < VFIO_PCI_NUM_REGIONS; i++) {
		const struct nook_vfio_region *rg = &dev->regions[i];
		const char *kind = "";

		if (!rg->size)
			continue;
		if (i <= VFIO_PCI_BAR5_REGION_INDEX &&
		    nook_vfio_config_read(dev, 0x10 + 4 * i, 4, &bar) == 0)
			kind = bar & 1 ? " io-port" : " memory";
		printf("  %-7s size 0x%-8llx%s%s%s%s\n", region_names[i],
		       (unsigned long long)rg->size, kind,
		       rg->flags & VFIO_REGION_INFO_FLAG_READ ? " read" : "",
		       rg->flags & VFIO_REGION_INFO_FLAG_WRITE ? " write" : "",
		       rg->flags & VFIO_REGION_INFO_FLAG_MMAP ? " mmap" : "");
	}
	for (unsigned int i = VFIO_PCI_INTX_IRQ_INDEX; i <= VFIO_PCI_MSIX_IRQ_INDEX; i++) {
		static const char *names[] = { "INTx", "MSI", "MSI-X" };
		uint32_t count = 0;

		nook_vfio_irq_count(dev, i, &count, NULL);
		printf("%s%s %u", i == 0 ? "  interrupts: " : ", ", names[i], count);
	}
	printf("\n");
	return 0;
}

static int width_arg(const char *s, unsigned int *ret)
{
	uint64_t bits;

	if (parse_u64(s, &bits) < 0 || (bits != 8 && bits != 16 && bits != 32 && bits != 64))
		return -EINVAL;
	*ret = (unsigned int)bits / 8;
	return 0;
}

static int cmd_read(struct nook_vfio_dev *dev, uint64_t bar, uint64_t off, unsigned int width)
{
	struct nook_err err = { 0 };
	uint64_t v = 0;
	void *map;
	int r;

	if (bar > VFIO_PCI_BAR5_REGION_INDEX) {
		fprintf(stderr, "nook-vfio: BAR must be 0 to 5\n");
		return -EINVAL;
	}
	/* A memory BAR is read through its mapping, as a driver does; others by region. */
	if (nook_vfio_map_bar(dev, (unsigned int)bar, &map, &err) == 0 && width >= 4 &&
	    off + width <= dev->regions[bar].size && off % width == 0) {
		v = width == 8 ? nook_mmio_read64(map, off) : nook_mmio_read32(map, off);
	} else {
		r = nook_vfio_region_read(dev, (unsigned int)bar, off, width, &v);
		if (r < 0) {
			fprintf(stderr,
				"nook-vfio: %s: cannot read %u byte(s) at 0x%llx of BAR%llu "
				"(size 0x%llx): %s\n",
				dev->addr, width, (unsigned long long)off, (unsigned long long)bar,
				(unsigned long long)dev->regions[bar].size, strerror(-r));
			return r;
		}
	}
	printf("0x%0*llx\n", (int)width * 2, (unsigned long long)v);
	return 0;
}

static int cmd_config(struct nook_vfio_dev *dev, int have_off, uint64_t off, unsigned int width)
{
	uint32_t v;
	int r;

	if (have_off) {
		r = nook_vfio_config_read(dev, off, width, &v);
		if (r < 0) {
			fprintf(stderr, "nook-vfio: %s: cannot read config space at 0x%llx: %s\n",
				dev->addr, (unsigned long long)off, strerror(-r));
			return r;
		}
		printf("0x%0*x\n", (int)width * 2, v);
		return 0;
	}
	for (unsigned int o = 0; o < 64; o += 4) {
		r = nook_vfio_config_read(dev, o, 4, &v);
		if (r < 0)
			return r;
		printf("%s%02x: %08x", o % 16 ? " " : (o ? "\n" : ""), o, v);
	}
	printf("\n");
	return 0;
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "width", required_argument, NULL, 'w' },
		{ "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'v' },
		{ 0 },
	};
	struct nook_err err = { 0 };
	struct nook_vfio_dev *dev;
	unsigned int width = 4;
	uint64_t a = 0, b = 0;
	const char *cmd;
	int c, r, nargs;

	while ((c = getopt_long(argc, argv, "w:h", opts, NULL)) != -1) {
		switch (c) {
		case 'w':
			if (width_arg(optarg, &width) < 0) {
				fprintf(stderr, "nook-vfio: --width takes 8, 16, 32 or 64\n");
				return 2;
			}
			break;
		case 'h':
			usage(stdout);
			return 0;
		case 'v':
			printf("nook-vfio (nook) %s\n", NOOK_VERSION);
			return 0;
		default:
			usage(stderr);
			return 2;
		}
	}
	nargs = argc - optind;
	cmd = nargs > 0 ? argv[optind] : "";
	if (!((strcmp(cmd, "info") == 0 && nargs == 2) ||
	      (strcmp(cmd, "read") == 0 && nargs == 4) ||
	      (strcmp(cmd, "config") == 0 && (nargs == 2 || nargs == 3)))) {
		usage(stderr);
		return 2;
	}
	for (int i = 2; i < nargs; i++) {
		if (parse_u64(argv[optind + i], i == 2 ? &a : &b) < 0) {
			fprintf(stderr, "nook-vfio: '%s' is not a number\n", argv[optind + i]);
			return 2;
		}
	}

	r = nook_vfio_open(NULL, argv[optind + 1], &dev, &err);
	if (r < 0) {
		fprintf(stderr, "nook-vfio: %s\n", err.msg);
		return 1;
	}
	if (strcmp(cmd, "info") == 0)
		r = cmd_info(dev);
	else if (strcmp(cmd, "read") == 0)
		r = cmd_read(dev, a, b, width);
	else
		r = cmd_config(dev, nargs == 3, a, width > 4 ? 4 : width);
	nook_vfio_close(dev);
	return r < 0 ? 1 : 0;
}
