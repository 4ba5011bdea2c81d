// SPDX-License-Identifier: GPL-2.0-only
/* Loading the kernel modules nookd needs (see modules.h). */
#include "modules.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "common/base/child.h"
#include "common/base/clock.h"

#define MODPROBE_TIMEOUT_MS 10000

int nookd_module_need(const char *module, const char *present, struct nook_err *err)
{
	int status = 0, r;
	pid_t pid;

	if (access(present, F_OK) == 0)
		return 0;
	pid = fork();
	if (pid < 0)
		return nook_err_set(err, -errno,
				    "%s is not loaded, and nookd cannot run modprobe: %m", module);
	if (pid == 0) {
		int devnull = open("/dev/null", O_RDWR | O_CLOEXEC);

		if (devnull >= 0) {
			dup2(devnull, 0);
			dup2(devnull, 1);
		}
		execl("/sbin/modprobe", "modprobe", "-q", module, (char *)NULL);
		execlp("modprobe", "modprobe", "-q", module, (char *)NULL);
		_exit(127);
	}
	r = nook_child_end(pid, MODPROBE_TIMEOUT_MS, 1000, &status);
	if (r == 0 && WIFEXITED(status) && WEXITSTATUS(status) == 0 && access(present, F_OK) == 0) {
		fprintf(stderr, "nookd: %s was not loaded: loaded it (modprobe %s)\n", module,
			module);
		return 1;
	}
	return nook_err_set(err, -ENOENT,
			    "%s is not loaded, and `modprobe %s` %s: load it (modprobe %s), or run "
			    "nookd as nookd.service, which has systemd load it",
			    module, module,
			    r < 0					    ? "did not finish" :
			    WIFEXITED(status) && WEXITSTATUS(status) == 127 ? "could not run" :
			    WIFEXITED(status) && WEXITSTATUS(status) != 0   ? "failed" :
									      "did not load it",
			    module);
}
