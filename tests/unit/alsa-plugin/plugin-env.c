// SPDX-License-Identifier: GPL-2.0-only
/* The plugin tests' environment (see plugin-env.h). */
#include "plugin-env.h"

#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

int plugin_env_setup(const char *who, snd_config_t **lconf, char *dir, size_t size)
{
	snd_input_t *in;
	const char *conf = getenv("NOOK_ALSA_CONF");

	if (!conf) {
		fprintf(stderr, "NOOK_ALSA_CONF is not set: run through meson test\n");
		return -1;
	}
	if (snd_config_top(lconf) < 0 || snd_input_stdio_open(&in, conf, "r") < 0)
		return -1;
	if (snd_config_load(*lconf, in) < 0)
		return -1;
	snd_input_close(in);
	snprintf(dir, size, "/tmp/nook-%s-XXXXXX", who);
	if (!mkdtemp(dir))
		return -1;
	setenv("NOOK_SOUND_DIR", dir, 1);
	return 0;
}

int plugin_env_teardown(snd_config_t *lconf, const char *dir)
{
	if (lconf)
		snd_config_delete(lconf);
	snd_config_update_free_global();
	return rmdir(dir);
}
