// SPDX-License-Identifier: GPL-2.0-only
/*
 * nook-swifi: the fault planner of a software-implemented fault-injection (SWIFI) campaign.
 * It turns a driver program and a seed into concrete faults, as specs that the driver program
 * applies (--fault SPEC) and as words a person reads:
 *
 *   nook-swifi plan --driver BINARY --functions LIST --seed N
 *                   [--class code|iface|device|any] [--count K]
 *   nook-swifi functions --driver BINARY --functions LIST
 *   nook-swifi probes --driver BINARY --functions LIST
 *
 * plan prints one line of JSON; functions prints the candidate functions of code faults, one
 * a line: name, size, address; probes prints, for each, the driver program's probe that
 * tells whether it runs (probe:VADDR:BYTE, its address and first byte: shims/fault). Bad input: a message on stderr, exit status 2, nothing on
 * stdout. The same seed, program and arguments always give the same plan.
 */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "swifi-code.h"
#include "swifi-elf.h"
#include "swifi-rng.h"

/* Exit status of bad input (a usage error), as the runner tells it from a planner failure. */
#define EXIT_USAGE 2

#define MAX_COUNT 16

enum fault_class { CLASS_CODE, CLASS_IFACE, CLASS_DEVICE, CLASS_ANY };

static const char *const class_names[] = {
	[CLASS_CODE] = "code",
	[CLASS_IFACE] = "iface",
	[CLASS_DEVICE] = "device",
	[CLASS_ANY] = "any",
};

enum kind_id {
	KIND_ALLOC,
	KIND_DMA_MAP,
	KIND_REQUEST_IRQ,
	KIND_TIMER_LATE,
	KIND_SLEEP_EARLY,
	KIND_MMIO_ONES,
	KIND_MMIO_RANDOM,
	KIND_DESC_CORRUPT,
	KIND_IRQ_LOST,
	KIND_IRQ_STORM,
};

/*
 * The interface and device faults, and the ranges a fault's N (the occurrence it strikes at:
 * the Nth allocation, read, interrupt...) and ARG are drawn from. N's ranges make a fault
 * likely to strike within a few seconds of traffic, but not always at once (at probe, which
 * tests only the probe's error path): a NIC driver under load makes a few allocations and DMA
 * mappings per packet, reads registers by the thousand and takes interrupts by the hundred
 * per second; request_irq happens at open, once or twice; timers (the watchdog, link checks)
 * and sleeps (reset, PHY and codec waits) come by the tens to hundreds in the first seconds.
 * A "from the Nth on" fault (once) is drawn at most once in a plan: a second adds nothing.
 *
 * Drivers differ by orders of magnitude here (an 8139cp under NAPI takes a few hundred
 * interrupts a trial, an ES1370 a handful), so a campaign measures them: --passes gives how
 * often an incarnation passed each site (the compat layer's names: alloc, dma-map,
 * request-irq, timer, sleep, mmio-read, irq) under the trial's workload, and N is then drawn
 * from 1 to that count; a site the driver never passed gets no fault, which could not fire.
 */
static struct kind {
	enum kind_id id;
	enum fault_class class;
	const char *name;
	const char *site; /* where it strikes, as the driver program counts passes */
	uint64_t n_min, n_max;
	uint64_t arg_min, arg_max;
	bool once;
} kinds[] = {
	/* The Nth allocation and ARG-1 after it fail: one error path, or its retry too. */
	{ KIND_ALLOC, CLASS_IFACE, "alloc", "alloc", 1, 3000, 1, 8, false },
	{ KIND_DMA_MAP, CLASS_IFACE, "dma-map", "dma-map", 1, 3000, 1, 8, false },
	{ KIND_REQUEST_IRQ, CLASS_IFACE, "request-irq", "request-irq", 1, 2, 1, 1, false },
	/* 10 ms is a late tick; 2 s is past e1000's 2 s watchdog period. */
	{ KIND_TIMER_LATE, CLASS_IFACE, "timer-late", "timer", 1, 200, 10, 2000, false },
	{ KIND_SLEEP_EARLY, CLASS_IFACE, "sleep-early", "sleep", 1, 200, 0, 0, false },
	{ KIND_MMIO_ONES, CLASS_DEVICE, "mmio-ones", "mmio-read", 1, 20000, 0, 0, true },
	{ KIND_MMIO_RANDOM, CLASS_DEVICE, "mmio-random", "mmio-read", 1, 20000, 1, 64, false },
	{ KIND_DESC_CORRUPT, CLASS_DEVICE, "desc-corrupt", "irq", 1, 2000, 0, 0, false },
	{ KIND_IRQ_LOST, CLASS_DEVICE, "irq-lost", "irq", 1, 2000, 0, 0, true },
	{ KIND_IRQ_STORM, CLASS_DEVICE, "irq-storm", "irq", 1, 2000, 0, 0, true },
};

#define N_KINDS (sizeof(kinds) / sizeof(kinds[0]))

struct other_fault {
	const struct kind *kind;
	uint64_t n, arg;
};

struct options {
	const char *command;
	const char *driver;
	const char *functions;
	uint64_t seed;
	bool have_seed;
	enum fault_class class;
	unsigned count;
	const char *passes;
};

static void usage(FILE *f)
{
	fprintf(f, "usage: nook-swifi plan --driver BINARY --functions LIST --seed N\n"
		   "                       [--class code|iface|device|any] [--count K] [--passes "
		   "FILE]\n"
		   "       nook-swifi functions --driver BINARY --functions LIST\n"
		   "       nook-swifi probes --driver BINARY --functions LIST\n");
}

/* A decimal number, digits only (no sign, no space), that fits max. */
static int parse_number(const char *s, uint64_t max, uint64_t *ret)
{
	unsigned long long v;
	char *end;

	if (s[0] < '0' || s[0] > '9')
		return -EINVAL;
	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno != 0 || *end != '\0' || v > max)
		return -EINVAL;
	*ret = v;
	return 0;
}

static int parse_class(const char *s, enum fault_class *ret)
{
	for (size_t i = 0; i < sizeof(class_names) / sizeof(class_names[0]); i++) {
		if (strcmp(s, class_names[i]) == 0) {
			*ret = i;
			return 0;
		}
	}
	return -EINVAL;
}

static int parse_options(int argc, char **argv, struct options *o)
{
	static const struct option longopts[] = { { "driver", required_argument, NULL, 'd' },
						  { "functions", required_argument, NULL, 'f' },
						  { "seed", required_argument, NULL, 's' },
						  { "class", required_argument, NULL, 'c' },
						  { "count", required_argument, NULL, 'k' },
						  { "passes", required_argument, NULL, 'p' },
						  { "help", no_argument, NULL, 'h' },
						  {} };
	bool plan, class_given = false, count_given = false;
	uint64_t v;
	int c;

	*o = (struct options){ .class = CLASS_ANY, .count = 1 };
	if (argc < 2) {
		fprintf(stderr, "nook-swifi: a command is needed: plan, functions or probes\n");
		usage(stderr);
		return -EINVAL;
	}
	o->command = argv[1];
	if (strcmp(o->command, "--help") == 0 || strcmp(o->command, "-h") == 0) {
		usage(stdout);
		return 1;
	}
	if (strcmp(o->command, "plan") != 0 && strcmp(o->command, "functions") != 0 &&
	    strcmp(o->command, "probes") != 0) {
		fprintf(stderr, "nook-swifi: unknown command '%s': plan, functions or probes\n",
			o->command);
		usage(stderr);
		return -EINVAL;
	}
	plan = strcmp(o->command, "plan") == 0;
	opterr = 0;
	optind = 2;
	while ((c = getopt_long(argc, argv, "+", longopts, NULL)) != -1) {
		switch (c) {
		case 'd':
			o->driver = optarg;
			break;
		case 'f':
			o->functions = optarg;
			break;
		case 's':
			if (parse_number(optarg, UINT64_MAX, &o->seed) < 0) {
				fprintf(stderr,
					"nook-swifi: --seed '%s' is not a decimal number "
					"from 0 to %" PRIu64 "\n",
					optarg, UINT64_MAX);
				return -EINVAL;
			}
			o->have_seed = true;
			break;
		case 'c':
			if (parse_class(optarg, &o->class) < 0) {
				fprintf(stderr,
					"nook-swifi: unknown --class '%s': code, iface, "
					"device or any\n",
					optarg);
				return -EINVAL;
			}
			class_given = true;
			break;
		case 'k':
			if (parse_number(optarg, MAX_COUNT, &v) < 0 || v == 0) {
				fprintf(stderr,
					"nook-swifi: --count '%s' is not a number from 1 "
					"to %d\n",
					optarg, MAX_COUNT);
				return -EINVAL;
			}
			o->count = v;
			count_given = true;
			break;
		case 'p':
			o->passes = optarg;
			break;
		case 'h':
			usage(stdout);
			return 1;
		default:
			fprintf(stderr, "nook-swifi: unknown option or missing value: '%s'\n",
				argv[optind - 1]);
			usage(stderr);
			return -EINVAL;
		}
	}
	if (optind < argc) {
		fprintf(stderr, "nook-swifi: unexpected argument '%s'\n", argv[optind]);
		usage(stderr);
		return -EINVAL;
	}
	if (!o->driver || !o->functions) {
		fprintf(stderr, "nook-swifi: %s needs --driver BINARY and --functions LIST\n",
			o->command);
		usage(stderr);
		return -EINVAL;
	}
	if (plan && !o->have_seed) {
		fprintf(stderr, "nook-swifi: plan needs --seed N\n");
		return -EINVAL;
	}
	if (!plan && (o->have_seed || class_given || count_given)) {
		fprintf(stderr, "nook-swifi: %s takes no --seed, --class or --count\n", o->command);
		return -EINVAL;
	}
	return 0;
}

/* The candidate functions of code faults: those of the list that the program defines. */
static int load_functions(const struct options *o, struct swifi_elf **ret_elf,
			  struct swifi_func **ret_funcs, size_t *ret_n)
{
	struct swifi_elf *elf;
	char **names;
	size_t n_names;
	int r;

	r = swifi_elf_open(o->driver, &elf);
	if (r < 0) {
		const char *why = r == -ENOEXEC ? "is not an x86-64 ELF64 file" :
				  r == -EBADMSG ? "is a damaged ELF file" :
				  r == -ENODATA ? "has no symbol table (stripped?)" :
						  strerror(-r);

		fprintf(stderr, "nook-swifi: driver %s: %s\n", o->driver, why);
		return r;
	}
	r = swifi_names_read(o->functions, &names, &n_names);
	if (r < 0) {
		fprintf(stderr, "nook-swifi: function list %s: %s\n", o->functions,
			r == -ENODATA ? "names no function" : strerror(-r));
		swifi_elf_close(elf);
		return r;
	}
	r = swifi_elf_functions(elf, names, n_names, ret_funcs, ret_n);
	swifi_names_free(names, n_names);
	if (r == 0 && *ret_n == 0) {
		fprintf(stderr,
			"nook-swifi: none of the %zu functions of %s is in %s's symbol "
			"table\n",
			n_names, o->functions, o->driver);
		free(*ret_funcs);
		r = -ESRCH;
	}
	if (r < 0) {
		swifi_elf_close(elf);
		return r;
	}
	*ret_elf = elf;
	return 0;
}

static const char *ordinal(uint64_t n, char *buf, size_t size)
{
	const char *suffix = "th";

	if (n % 100 < 11 || n % 100 > 13) {
		if (n % 10 == 1)
			suffix = "st";
		else if (n % 10 == 2)
			suffix = "nd";
		else if (n % 10 == 3)
			suffix = "rd";
	}
	snprintf(buf, size, "%" PRIu64 "%s", n, suffix);
	return buf;
}

/* "and the 2 after it" for a run of ARG failures, nothing for one. */
static const char *and_after(uint64_t arg, char *buf, size_t size)
{
	buf[0] = '\0';
	if (arg == 2)
		snprintf(buf, size, " and the one after it");
	else if (arg > 2)
		snprintf(buf, size, " and the %" PRIu64 " after it", arg - 1);
	return buf;
}

static void describe(const struct other_fault *f, char *buf, size_t size)
{
	char nth[32], after[48];
	bool many = f->arg > 1;

	ordinal(f->n, nth, sizeof(nth));
	and_after(f->arg, after, sizeof(after));
	switch (f->kind->id) {
	case KIND_ALLOC:
		snprintf(buf, size, "the %s allocation%s fail%s (kmalloc and friends return NULL)",
			 nth, after, many ? "" : "s");
		break;
	case KIND_DMA_MAP:
		snprintf(buf, size,
			 "the %s DMA mapping%s fail%s (dma_map_single and friends "
			 "return a mapping error)",
			 nth, after, many ? "" : "s");
		break;
	case KIND_REQUEST_IRQ:
		snprintf(buf, size, "the %s request_irq fails (the driver gets no interrupt line)",
			 nth);
		break;
	case KIND_TIMER_LATE:
		snprintf(buf, size, "the %s timer fires %" PRIu64 " ms late", nth, f->arg);
		break;
	case KIND_SLEEP_EARLY:
		snprintf(buf, size,
			 "the %s sleep (msleep, usleep_range, schedule_timeout) returns "
			 "at once",
			 nth);
		break;
	case KIND_MMIO_ONES:
		snprintf(buf, size,
			 "from the %s device register read on, every read returns all "
			 "ones (the device is gone: surprise removal)",
			 nth);
		break;
	case KIND_MMIO_RANDOM:
		if (many)
			snprintf(buf, size,
				 "device register reads %" PRIu64 " to %" PRIu64
				 " return random bits",
				 f->n, f->n + f->arg - 1);
		else
			snprintf(buf, size, "the %s device register read returns random bits", nth);
		break;
	case KIND_DESC_CORRUPT:
		snprintf(buf, size,
			 "at the %s interrupt, one random 32-bit word of the driver's "
			 "coherent DMA memory gets random bits (a corrupted descriptor)",
			 nth);
		break;
	case KIND_IRQ_LOST:
		snprintf(buf, size, "from the %s interrupt on, no interrupt is delivered", nth);
		break;
	case KIND_IRQ_STORM:
		snprintf(buf, size,
			 "from the %s interrupt on, the line keeps firing with nothing "
			 "pending (an interrupt storm)",
			 nth);
		break;
	}
}

static bool same_fault(const struct other_fault *a, const struct other_fault *b)
{
	return a->kind == b->kind && (a->kind->once || (a->n == b->n && a->arg == b->arg));
}

/*
 * Draws count interface or device faults: a kind uniform among the class's, then N and ARG
 * uniform in its ranges; a fault equal to one drawn before (or a second of a "once" kind) is
 * drawn again. -ENOSPC if the class has not that many distinct faults (it has thousands).
 */
static int plan_other(enum fault_class class, unsigned count, struct swifi_rng *rng,
		      struct other_fault *faults)
{
	const struct kind *of_class[N_KINDS];
	size_t n_kinds = 0;

	for (size_t i = 0; i < N_KINDS; i++)
		if (kinds[i].class == class && kinds[i].n_max >= kinds[i].n_min)
			of_class[n_kinds++] = &kinds[i];
	if (n_kinds == 0)
		return -ENOENT; /* the driver passed none of the class's sites */
	for (unsigned k = 0; k < count; k++) {
		int tries = 0;
		bool repeat;

		do {
			struct other_fault *f = &faults[k];

			if (++tries > 1000)
				return -ENOSPC;
			f->kind = of_class[swifi_rng_below(rng, n_kinds)];
			f->n = swifi_rng_range(rng, f->kind->n_min, f->kind->n_max);
			f->arg = swifi_rng_range(rng, f->kind->arg_min, f->kind->arg_max);
			repeat = false;
			for (unsigned j = 0; j < k; j++)
				repeat = repeat || same_fault(&faults[j], f);
		} while (repeat);
	}
	return 0;
}

/* Prints s as a JSON string. */
static void json_string(const char *s)
{
	putchar('"');
	for (; *s; s++) {
		unsigned char c = *s;

		if (c == '"' || c == '\\')
			printf("\\%c", c);
		else if (c < 0x20)
			printf("\\u%04x", c);
		else
			putchar(c);
	}
	putchar('"');
}

static void json_hex(const uint8_t *bytes, unsigned len)
{
	for (unsigned i = 0; i < len; i++)
		printf("%02x", bytes[i]);
}

static void print_code_fault(const struct swifi_code_fault *f)
{
	printf("{\"spec\":\"code:0x%" PRIx64 ":", f->vaddr);
	json_hex(f->orig, f->len);
	putchar(':');
	json_hex(f->new, f->len);
	printf("\",\"type\":");
	json_string(swifi_mutation_name(f->type));
	printf(",\"function\":");
	json_string(f->func->name);
	printf(",\"offset\":%" PRIu64 ",\"before\":", f->vaddr - f->func->vaddr);
	json_string(f->before);
	printf(",\"after\":");
	json_string(f->after);
	printf(",\"description\":");
	json_string(f->description);
	putchar('}');
}

static void print_other_fault(const struct other_fault *f)
{
	char description[256];

	describe(f, description, sizeof(description));
	printf("{\"spec\":\"%s:%s:%" PRIu64 ":%" PRIu64 "\",\"type\":",
	       f->kind->class == CLASS_IFACE ? "iface" : "dev", f->kind->name, f->n, f->arg);
	json_string(f->kind->name);
	printf(",\"function\":null,\"offset\":null,\"before\":null,\"after\":null"
	       ",\"description\":");
	json_string(description);
	putchar('}');
}

/*
 * --passes: "SITE COUNT" lines. Each kind's N is drawn from 1 to its site's count, and a
 * kind whose site was never passed is out (n_max 0). -EINVAL, said, for a bad file.
 */
static int read_passes(const char *path)
{
	char site[32];
	unsigned long long count;
	FILE *f = fopen(path, "re");
	int r = 0, n;

	if (!f) {
		fprintf(stderr, "nook-swifi: --passes %s: %s\n", path, strerror(errno));
		return -EINVAL;
	}
	for (size_t i = 0; i < N_KINDS; i++)
		kinds[i].n_max = 0;
	while ((n = fscanf(f, "%31s %llu", site, &count)) == 2)
		for (size_t i = 0; i < N_KINDS; i++)
			if (!strcmp(kinds[i].site, site))
				kinds[i].n_max = count;
	if (n != EOF || ferror(f)) {
		fprintf(stderr, "nook-swifi: --passes %s: not SITE COUNT lines\n", path);
		r = -EINVAL;
	}
	fclose(f);
	return r;
}

static int plan(const struct options *o, const struct swifi_func *funcs, size_t n_funcs)
{
	struct swifi_code_fault code[MAX_COUNT];
	struct other_fault other[MAX_COUNT];
	enum fault_class class = o->class;
	struct swifi_rng rng;
	int r;

	if (o->passes && read_passes(o->passes) < 0)
		return -EINVAL;
	swifi_rng_init(&rng, o->seed);
	/* code 60%, iface 20%, device 20%: most of a driver's faults are its own bugs. */
	if (class == CLASS_ANY) {
		uint64_t x = swifi_rng_below(&rng, 10);

		class = x < 6 ? CLASS_CODE : x < 8 ? CLASS_IFACE : CLASS_DEVICE;
	}
	if (class == CLASS_CODE)
		r = swifi_code_plan(funcs, n_funcs, &rng, code, o->count);
	else
		r = plan_other(class, o->count, &rng, other);
	if (r == -ENOSPC)
		fprintf(stderr,
			"nook-swifi: too few instructions in the listed functions (%zu "
			"in the program) for %u %s faults\n",
			n_funcs, o->count, class_names[class]);
	else if (r == -ENOENT)
		fprintf(stderr,
			"nook-swifi: the driver passed none of the sites of %s faults "
			"(--passes %s)\n",
			class_names[class], o->passes);
	else if (r < 0 && r != -EINVAL)
		fprintf(stderr, "nook-swifi: cannot plan %u %s faults: %s\n", o->count,
			class_names[class], strerror(-r));
	if (r < 0)
		return r;
	printf("{\"seed\":%" PRIu64 ",\"class\":\"%s\",\"faults\":[", o->seed, class_names[class]);
	for (unsigned k = 0; k < o->count; k++) {
		if (k > 0)
			putchar(',');
		if (class == CLASS_CODE)
			print_code_fault(&code[k]);
		else
			print_other_fault(&other[k]);
	}
	printf("]}\n");
	return 0;
}

static void list_functions(const struct swifi_func *funcs, size_t n_funcs)
{
	for (size_t i = 0; i < n_funcs; i++)
		printf("%s\t%" PRIu64 "\t0x%" PRIx64 "\n", funcs[i].name, funcs[i].size,
		       funcs[i].vaddr);
}

/* One probe per function (its entry: its address and first byte), each address once. */
static void list_probes(const struct swifi_func *funcs, size_t n_funcs)
{
	for (size_t i = 0; i < n_funcs; i++) {
		bool seen = false;

		for (size_t j = 0; j < i && !seen; j++)
			seen = funcs[j].vaddr == funcs[i].vaddr;
		if (!seen)
			printf("probe:0x%" PRIx64 ":%02x\n", funcs[i].vaddr, funcs[i].code[0]);
	}
}

int main(int argc, char **argv)
{
	struct swifi_func *funcs;
	struct swifi_elf *elf;
	struct options o;
	size_t n_funcs;
	int r;

	r = parse_options(argc, argv, &o);
	if (r > 0)
		return EXIT_SUCCESS;
	if (r < 0)
		return EXIT_USAGE;
	r = load_functions(&o, &elf, &funcs, &n_funcs);
	if (r < 0)
		return r == -ENOMEM ? EXIT_FAILURE : EXIT_USAGE;
	if (strcmp(o.command, "plan") == 0)
		r = plan(&o, funcs, n_funcs);
	else if (strcmp(o.command, "probes") == 0)
		list_probes(funcs, n_funcs);
	else
		list_functions(funcs, n_funcs);
	free(funcs);
	swifi_elf_close(elf);
	/* Too few instructions for --count is the input's fault, as a list of none would be. */
	if (r < 0)
		return r == -ENOSPC || r == -EINVAL || r == -ENOENT ? EXIT_USAGE : EXIT_FAILURE;
	if (fflush(stdout) != 0 || ferror(stdout)) {
		fprintf(stderr, "nook-swifi: writing the output: %s\n", strerror(errno));
		return EXIT_FAILURE;
	}
	return EXIT_SUCCESS;
}
