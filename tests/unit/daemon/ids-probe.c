// SPDX-License-Identifier: GPL-2.0-only
/*
 * A stand-in driver program for test-drivers and test-supervisor's upgrades: `--list-ids`
 * prints one ID (1234:5678; 9999:0001 from a directory named other-ids), and exits 0 only
 * if it runs as nook runs a driver's --list-ids: not as root, with no_new_privs, under a
 * seccomp filter.
 */
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	if (argc < 2 || strcmp(argv[1], "--list-ids"))
		return 2;
	if (geteuid() == 0 || prctl(PR_GET_NO_NEW_PRIVS, 0, 0, 0, 0) != 1 ||
	    prctl(PR_GET_SECCOMP, 0, 0, 0, 0) != 2)
		return 3;
	/* a copy in a directory named other-ids stands for a program that takes other devices */
	if (strstr(argv[0], "/other-ids/"))
		printf("9999:0001 *:* 000000/000000\n");
	else
		printf("1234:5678 *:* 000000/000000\n");
	return 0;
}
