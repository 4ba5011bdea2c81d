/* SPDX-License-Identifier: GPL-2.0-only */
/* The PCM core's files share these; not part of the kernel interface. */
#ifndef NOOK_COMPAT_PCM_INTERNAL_H
#define NOOK_COMPAT_PCM_INTERNAL_H

struct snd_pcm_runtime;
struct snd_pcm_hw_params;

void nook_pcm_constraints_init(struct snd_pcm_runtime *runtime);
void nook_pcm_constraints_free(struct snd_pcm_runtime *runtime);
int nook_pcm_constraints_complete(struct snd_pcm_runtime *runtime);
int nook_pcm_refine(struct snd_pcm_runtime *runtime, struct snd_pcm_hw_params *params);
/* The k-th of ALSA's standard rates (the SNDRV_PCM_RATE_* bits), 0 past the last. */
unsigned int nook_pcm_std_rate(unsigned int k);

#endif
