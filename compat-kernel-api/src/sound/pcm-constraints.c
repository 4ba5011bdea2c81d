// SPDX-License-Identifier: GPL-2.0-only
/*
 * hw_params constraints: the intervals and masks a driver narrows at open (minmax, integer,
 * lists, rational rates, steps), the rules it adds, and the refinement that applies them
 * all until nothing changes. nook refines concrete choices (one format, channel count, rate,
 * period size and count) and, to describe a stream, each standard rate on its own.
 */
#include <linux/slab.h>
#include <linux/string.h>
#include <sound/pcm.h>

#include "pcm-internal.h"

int snd_interval_refine(struct snd_interval *i, const struct snd_interval *v)
{
	int changed = 0;

	if (i->empty)
		return -EINVAL;
	if (i->min < v->min || (i->min == v->min && v->openmin && !i->openmin)) {
		i->min = v->min;
		i->openmin = v->openmin;
		changed = 1;
	}
	if (i->max > v->max || (i->max == v->max && v->openmax && !i->openmax)) {
		i->max = v->max;
		i->openmax = v->openmax;
		changed = 1;
	}
	if (!i->integer && v->integer) {
		i->integer = 1;
		changed = 1;
	}
	if (i->integer) {
		if (i->openmin) {
			i->min++;
			i->openmin = 0;
		}
		if (i->openmax) {
			i->max--;
			i->openmax = 0;
		}
	} else if (!i->openmin && !i->openmax && i->min == i->max) {
		i->integer = 1;
	}
	if (snd_interval_checkempty(i)) {
		snd_interval_none(i);
		return -EINVAL;
	}
	return changed;
}

int snd_interval_list(struct snd_interval *i, unsigned int count, const unsigned int *list,
		      unsigned int mask)
{
	struct snd_interval range = { .min = UINT_MAX, .max = 0, .integer = 1 };
	bool any = false;

	for (unsigned int k = 0; k < count; k++) {
		if (mask && !(mask & (1U << k)))
			continue;
		if (!snd_interval_test(i, list[k]))
			continue;
		range.min = min(range.min, list[k]);
		range.max = max(range.max, list[k]);
		any = true;
	}
	if (!any) {
		snd_interval_none(i);
		return -EINVAL;
	}
	return snd_interval_refine(i, &range);
}

int snd_interval_ranges(struct snd_interval *i, unsigned int count,
			const struct snd_interval *ranges, unsigned int mask)
{
	struct snd_interval range = { .min = UINT_MAX, .max = 0 };
	bool any = false;

	for (unsigned int k = 0; k < count; k++) {
		struct snd_interval r = ranges[k];

		if (mask && !(mask & (1U << k)))
			continue;
		if (snd_interval_refine(&r, i) < 0)
			continue;
		if (!any || r.min < range.min || (r.min == range.min && !r.openmin)) {
			range.min = r.min;
			range.openmin = r.openmin;
		}
		if (!any || r.max > range.max || (r.max == range.max && !r.openmax)) {
			range.max = r.max;
			range.openmax = r.openmax;
		}
		any = true;
	}
	if (!any) {
		snd_interval_none(i);
		return -EINVAL;
	}
	return snd_interval_refine(i, &range);
}

/* a/b < c/d, exactly. */
static bool frac_less(u64 a, u64 b, u64 c, u64 d)
{
	return a * d < c * b;
}

/*
 * The closest values num/den the rats can make at or above i's minimum and at or below
 * its maximum; i becomes the interval between them (open where they are not integers).
 */
static int refine_rational(struct snd_interval *i, unsigned int n,
			   bool (*low)(const void *rat, unsigned int min, u64 *num, u64 *den),
			   bool (*high)(const void *rat, unsigned int max, u64 *num, u64 *den),
			   const void *rats, size_t rat_size, unsigned int *nump,
			   unsigned int *denp)
{
	u64 lnum = 0, lden = 0, hnum = 0, hden = 0, num, den;
	struct snd_interval t = { 0 };
	int r;

	for (unsigned int k = 0; k < n; k++) {
		const void *rat = (const char *)rats + k * rat_size;

		if (low(rat, i->min, &num, &den) && (!lden || frac_less(num, den, lnum, lden))) {
			lnum = num;
			lden = den;
		}
		if (high(rat, i->max, &num, &den) && (!hden || frac_less(hnum, hden, num, den))) {
			hnum = num;
			hden = den;
		}
	}
	if (!lden || !hden) {
		snd_interval_none(i);
		return -EINVAL;
	}
	t.min = lnum / lden;
	t.openmin = lnum % lden != 0;
	t.max = (hnum + hden - 1) / hden;
	t.openmax = hnum % hden != 0;
	r = snd_interval_refine(i, &t);
	if (r < 0)
		return r;
	if (snd_interval_single(i) && nump && denp && lnum % lden == 0) {
		*nump = (unsigned int)lnum;
		*denp = (unsigned int)lden;
	}
	return r;
}

/* ratnum: num fixed, den in [den_min, den_max] by den_step. */
static bool ratnum_low(const void *p, unsigned int min, u64 *num, u64 *den)
{
	const struct snd_ratnum *r = p;
	u64 d = min ? r->num / min : r->den_max;

	if (d > r->den_max)
		d = r->den_max;
	if (d < r->den_min)
		return false;
	d -= (d - r->den_min) % r->den_step;
	*num = r->num;
	*den = d;
	return true;
}

static bool ratnum_high(const void *p, unsigned int max, u64 *num, u64 *den)
{
	const struct snd_ratnum *r = p;
	u64 d = max ? ((u64)r->num + max - 1) / max : r->den_max + 1;
	u64 rem;

	if (d < r->den_min)
		d = r->den_min;
	rem = (d - r->den_min) % r->den_step;
	if (rem)
		d += r->den_step - rem;
	if (d > r->den_max)
		return false;
	*num = r->num;
	*den = d;
	return true;
}

int snd_interval_ratnum(struct snd_interval *i, unsigned int rats_count,
			const struct snd_ratnum *rats, unsigned int *nump, unsigned int *denp)
{
	return refine_rational(i, rats_count, ratnum_low, ratnum_high, rats, sizeof(*rats), nump,
			       denp);
}

/* ratden: den fixed, num in [num_min, num_max] by num_step. */
static bool ratden_low(const void *p, unsigned int min, u64 *num, u64 *den)
{
	const struct snd_ratden *r = p;
	u64 n = (u64)min * r->den;
	u64 rem;

	if (n < r->num_min)
		n = r->num_min;
	rem = (n - r->num_min) % r->num_step;
	if (rem)
		n += r->num_step - rem;
	if (n > r->num_max)
		return false;
	*num = n;
	*den = r->den;
	return true;
}

static bool ratden_high(const void *p, unsigned int max, u64 *num, u64 *den)
{
	const struct snd_ratden *r = p;
	u64 n = (u64)max * r->den;

	if (n > r->num_max)
		n = r->num_max;
	if (n < r->num_min)
		return false;
	n -= (n - r->num_min) % r->num_step;
	*num = n;
	*den = r->den;
	return true;
}

/* --- constraints on an open substream's runtime */

int snd_pcm_hw_rule_add(struct snd_pcm_runtime *runtime, unsigned int cond, int var,
			snd_pcm_hw_rule_func_t func, void *private, int dep, ...)
{
	struct snd_pcm_hw_constraints *c = &runtime->hw_constraints;
	struct snd_pcm_hw_rule *rule;
	va_list args;
	unsigned int k = 0;

	if (c->rules_num >= c->rules_all) {
		unsigned int n = c->rules_all + 16;
		struct snd_pcm_hw_rule *rules = krealloc(c->rules, n * sizeof(*rules), GFP_KERNEL);

		if (!rules)
			return -ENOMEM;
		c->rules = rules;
		c->rules_all = n;
	}
	rule = &c->rules[c->rules_num];
	memset(rule, 0, sizeof(*rule));
	rule->cond = cond;
	rule->func = func;
	rule->var = var;
	rule->private = private;
	va_start(args, dep);
	while (dep >= 0) {
		if (k >= ARRAY_SIZE(rule->deps) - 1) {
			va_end(args);
			return -EINVAL;
		}
		rule->deps[k++] = dep;
		dep = va_arg(args, int);
	}
	va_end(args);
	rule->deps[k] = -1;
	c->rules_num++;
	return 0;
}

int snd_pcm_hw_constraint_mask64(struct snd_pcm_runtime *runtime, snd_pcm_hw_param_t var, u64 mask)
{
	struct snd_mask *m = constrs_mask(&runtime->hw_constraints, var);
	struct snd_mask v;

	snd_mask_none(&v);
	v.bits[0] = (u32)mask;
	v.bits[1] = (u32)(mask >> 32);
	return snd_mask_refine(m, &v) < 0 ? -EINVAL : 0;
}

int snd_pcm_hw_constraint_minmax(struct snd_pcm_runtime *runtime, snd_pcm_hw_param_t var,
				 unsigned int min, unsigned int max)
{
	struct snd_interval v = { .min = min, .max = max };

	return snd_interval_refine(constrs_interval(&runtime->hw_constraints, var), &v);
}

int snd_pcm_hw_constraint_integer(struct snd_pcm_runtime *runtime, snd_pcm_hw_param_t var)
{
	return snd_interval_setinteger(constrs_interval(&runtime->hw_constraints, var));
}

static int rule_list(struct snd_pcm_hw_params *params, struct snd_pcm_hw_rule *rule)
{
	const struct snd_pcm_hw_constraint_list *l = rule->private;

	return snd_interval_list(hw_param_interval(params, rule->var), l->count, l->list, l->mask);
}

int snd_pcm_hw_constraint_list(struct snd_pcm_runtime *runtime, unsigned int cond,
			       snd_pcm_hw_param_t var, const struct snd_pcm_hw_constraint_list *l)
{
	return snd_pcm_hw_rule_add(runtime, cond, var, rule_list, (void *)l, var, -1);
}

static int rule_ranges(struct snd_pcm_hw_params *params, struct snd_pcm_hw_rule *rule)
{
	const struct snd_pcm_hw_constraint_ranges *r = rule->private;

	return snd_interval_ranges(hw_param_interval(params, rule->var), r->count, r->ranges,
				   r->mask);
}

int snd_pcm_hw_constraint_ranges(struct snd_pcm_runtime *runtime, unsigned int cond,
				 snd_pcm_hw_param_t var,
				 const struct snd_pcm_hw_constraint_ranges *r)
{
	return snd_pcm_hw_rule_add(runtime, cond, var, rule_ranges, (void *)r, var, -1);
}

static int rule_ratnums(struct snd_pcm_hw_params *params, struct snd_pcm_hw_rule *rule)
{
	const struct snd_pcm_hw_constraint_ratnums *r = rule->private;
	unsigned int num = 0, den = 0;
	int err = snd_interval_ratnum(hw_param_interval(params, rule->var), r->nrats, r->rats, &num,
				      &den);

	if (err >= 0 && den && rule->var == SNDRV_PCM_HW_PARAM_RATE) {
		params->rate_num = num;
		params->rate_den = den;
	}
	return err;
}

int snd_pcm_hw_constraint_ratnums(struct snd_pcm_runtime *runtime, unsigned int cond,
				  snd_pcm_hw_param_t var,
				  const struct snd_pcm_hw_constraint_ratnums *r)
{
	return snd_pcm_hw_rule_add(runtime, cond, var, rule_ratnums, (void *)r, var, -1);
}

static int rule_ratdens(struct snd_pcm_hw_params *params, struct snd_pcm_hw_rule *rule)
{
	const struct snd_pcm_hw_constraint_ratdens *r = rule->private;
	unsigned int num = 0, den = 0;
	int err = refine_rational(hw_param_interval(params, rule->var), r->nrats, ratden_low,
				  ratden_high, r->rats, sizeof(*r->rats), &num, &den);

	if (err >= 0 && den && rule->var == SNDRV_PCM_HW_PARAM_RATE) {
		params->rate_num = num;
		params->rate_den = den;
	}
	return err;
}

int snd_pcm_hw_constraint_ratdens(struct snd_pcm_runtime *runtime, unsigned int cond,
				  snd_pcm_hw_param_t var,
				  const struct snd_pcm_hw_constraint_ratdens *r)
{
	return snd_pcm_hw_rule_add(runtime, cond, var, rule_ratdens, (void *)r, var, -1);
}

/* msbits: the significant bits of a sample of the given width, reported in hw_params. */
static int rule_msbits(struct snd_pcm_hw_params *params, struct snd_pcm_hw_rule *rule)
{
	unsigned long v = (unsigned long)rule->private;
	unsigned int width = v >> 16, msbits = v & 0xffff;
	const struct snd_interval *bits =
		hw_param_interval_c(params, SNDRV_PCM_HW_PARAM_SAMPLE_BITS);

	if (snd_interval_single(bits) && (!width || snd_interval_value(bits) == (int)width))
		params->msbits = min_t(unsigned int, msbits, snd_interval_value(bits));
	return 0;
}

int snd_pcm_hw_constraint_msbits(struct snd_pcm_runtime *runtime, unsigned int cond,
				 unsigned int width, unsigned int msbits)
{
	unsigned long v = ((unsigned long)width << 16) | msbits;

	return snd_pcm_hw_rule_add(runtime, cond, -1, rule_msbits, (void *)v,
				   SNDRV_PCM_HW_PARAM_SAMPLE_BITS, -1);
}

static int rule_step(struct snd_pcm_hw_params *params, struct snd_pcm_hw_rule *rule)
{
	unsigned long step = (unsigned long)rule->private;
	struct snd_interval *i = hw_param_interval(params, rule->var);
	struct snd_interval t = { .min = DIV_ROUND_UP(i->min, step) * step,
				  .max = i->max / step * step,
				  .integer = 1 };

	if (i->max == UINT_MAX)
		t.max = UINT_MAX / step * step;
	return snd_interval_refine(i, &t);
}

int snd_pcm_hw_constraint_step(struct snd_pcm_runtime *runtime, unsigned int cond,
			       snd_pcm_hw_param_t var, unsigned long step)
{
	return snd_pcm_hw_rule_add(runtime, cond, var, rule_step, (void *)step, var, -1);
}

static int rule_pow2(struct snd_pcm_hw_params *params, struct snd_pcm_hw_rule *rule)
{
	static unsigned int pow2[31];

	for (unsigned int k = 0; k < ARRAY_SIZE(pow2); k++)
		pow2[k] = 1U << k;
	return snd_interval_list(hw_param_interval(params, rule->var), ARRAY_SIZE(pow2), pow2, 0);
}

int snd_pcm_hw_constraint_pow2(struct snd_pcm_runtime *runtime, unsigned int cond,
			       snd_pcm_hw_param_t var)
{
	return snd_pcm_hw_rule_add(runtime, cond, var, rule_pow2, NULL, var, -1);
}

/* --- the refinement */

void nook_pcm_constraints_init(struct snd_pcm_runtime *runtime)
{
	struct snd_pcm_hw_constraints *c = &runtime->hw_constraints;

	for (int k = 0; k < (int)ARRAY_SIZE(c->masks); k++)
		snd_mask_any(&c->masks[k]);
	for (int k = 0; k < (int)ARRAY_SIZE(c->intervals); k++)
		snd_interval_any(&c->intervals[k]);
	c->rules_num = 0;
}

void nook_pcm_constraints_free(struct snd_pcm_runtime *runtime)
{
	kfree(runtime->hw_constraints.rules);
	runtime->hw_constraints.rules = NULL;
	runtime->hw_constraints.rules_num = runtime->hw_constraints.rules_all = 0;
}

/* The rates bitmask of snd_pcm_hardware, when it is not a continuous range. */
static const unsigned int std_rates[] = { 5512,	 8000,	11025, 16000,  22050,  32000,  44100, 48000,
					  64000, 88200, 96000, 176400, 192000, 352800, 384000 };

static int rule_hw_rates(struct snd_pcm_hw_params *params, struct snd_pcm_hw_rule *rule)
{
	struct snd_pcm_runtime *runtime = rule->private;

	return snd_interval_list(hw_param_interval(params, SNDRV_PCM_HW_PARAM_RATE),
				 ARRAY_SIZE(std_rates), std_rates, runtime->hw.rates);
}

unsigned int nook_pcm_std_rate(unsigned int k)
{
	return k < ARRAY_SIZE(std_rates) ? std_rates[k] : 0;
}

/* After the driver's open(): what runtime->hw says becomes constraints too. */
int nook_pcm_constraints_complete(struct snd_pcm_runtime *runtime)
{
	struct snd_pcm_hardware *hw = &runtime->hw;
	int r;

	r = snd_pcm_hw_constraint_mask64(runtime, SNDRV_PCM_HW_PARAM_FORMAT, hw->formats);
	if (r >= 0)
		r = snd_pcm_hw_constraint_minmax(runtime, SNDRV_PCM_HW_PARAM_CHANNELS,
						 hw->channels_min, hw->channels_max);
	if (r >= 0)
		r = snd_pcm_hw_constraint_minmax(runtime, SNDRV_PCM_HW_PARAM_RATE, hw->rate_min,
						 hw->rate_max);
	if (r >= 0)
		r = snd_pcm_hw_constraint_minmax(runtime, SNDRV_PCM_HW_PARAM_PERIOD_BYTES,
						 hw->period_bytes_min, hw->period_bytes_max);
	if (r >= 0)
		r = snd_pcm_hw_constraint_minmax(runtime, SNDRV_PCM_HW_PARAM_PERIODS,
						 hw->periods_min, hw->periods_max);
	if (r >= 0)
		r = snd_pcm_hw_constraint_minmax(runtime, SNDRV_PCM_HW_PARAM_BUFFER_BYTES,
						 hw->period_bytes_min, hw->buffer_bytes_max);
	if (r >= 0 && !(hw->rates & (SNDRV_PCM_RATE_CONTINUOUS | SNDRV_PCM_RATE_KNOT)))
		r = snd_pcm_hw_rule_add(runtime, 0, SNDRV_PCM_HW_PARAM_RATE, rule_hw_rates, runtime,
					SNDRV_PCM_HW_PARAM_RATE, -1);
	return r < 0 ? r : 0;
}

/*
 * Narrow @params by the runtime's constraints, then apply the rules until none changes
 * anything (at most 64 rounds: rules that keep disagreeing are refused as -EINVAL).
 */
int nook_pcm_refine(struct snd_pcm_runtime *runtime, struct snd_pcm_hw_params *params)
{
	struct snd_pcm_hw_constraints *c = &runtime->hw_constraints;
	bool again = true;

	for (int k = 0; k < (int)ARRAY_SIZE(c->masks); k++)
		if (snd_mask_refine(&params->masks[k], &c->masks[k]) < 0)
			return -EINVAL;
	for (int k = 0; k < (int)ARRAY_SIZE(c->intervals); k++)
		if (snd_interval_refine(&params->intervals[k], &c->intervals[k]) < 0)
			return -EINVAL;
	for (int round = 0; again; round++) {
		if (round == 64)
			return -EINVAL;
		again = false;
		for (unsigned int k = 0; k < c->rules_num; k++) {
			struct snd_pcm_hw_rule *rule = &c->rules[k];
			int r;

			if (rule->cond && !(rule->cond & params->flags))
				continue;
			r = rule->func(params, rule);
			if (r < 0)
				return r;
			if (r > 0 && rule->var >= 0)
				again = true;
		}
	}
	for (int k = 0; k < (int)ARRAY_SIZE(c->intervals); k++)
		if (params->intervals[k].empty)
			return -EINVAL;
	return 0;
}
