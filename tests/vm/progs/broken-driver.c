// SPDX-License-Identifier: GPL-2.0-only
/*
 * A driver program that answers --list-ids as nook-driver-e1000 does for QEMU's e1000
 * (8086:100e) and dies whenever it is started as a driver: a live upgrade's new program that
 * does not come up (daemon-e1000.sh upgrades to it and expects the old one to run on).
 */
#include <stdio.h>
#include <string.h>

int main(int argc, char **argv)
{
	if (argc == 2 && !strcmp(argv[1], "--list-ids")) {
		printf("8086:100e *:* 000000/000000\n");
		return 0;
	}
	fprintf(stderr, "broken-driver: this build does not start\n");
	return 1;
}
