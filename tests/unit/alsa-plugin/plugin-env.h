/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * What both plugin tests stand on: alsa-lib configured from the build tree's nook-alsa.conf
 * ($NOOK_ALSA_CONF, set by meson test), and a card socket directory of their own.
 */
#ifndef NOOK_TEST_PLUGIN_ENV_H
#define NOOK_TEST_PLUGIN_ENV_H

#include <stddef.h>
#include <alsa/asoundlib.h>

/*
 * Load the configuration into *@lconf and make a fresh /tmp/nook-@who-XXXXXX, named in @dir
 * and exported as NOOK_SOUND_DIR. 0, or -1 with a message when run outside meson test.
 */
int plugin_env_setup(const char *who, snd_config_t **lconf, char *dir, size_t size);

/* Undo it (the directory must be empty by then). */
int plugin_env_teardown(snd_config_t *lconf, const char *dir);

#endif
