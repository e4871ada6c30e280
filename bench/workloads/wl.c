// SPDX-License-Identifier: GPL-2.0
/*
 * Ground-truth workload engine for the DAMON benchmark; see wl.h.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include "wl.h"

#define WL_CHUNK (2 * MiB)
#define WL_GAP_NS 5000000ULL	/* merge touches of a chunk closer than 5 ms */

struct wl_rec {
	uint64_t t0, t1;
	uint32_t zone, chunk, count;
};

struct wl_chunk {
	uint64_t t0, t1;
	uint32_t count;
};

struct wl_prog {
	uint64_t t;
	uint64_t pages;
};

static volatile sig_atomic_t wl_go, wl_stop;
static struct wl_rec *recs;
static size_t nr_recs, cap_recs;
static struct wl_prog *progs;
static size_t nr_progs, cap_progs;
static char **phase_lines;
static size_t nr_phases;
static uint64_t pages_touched;

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + ts.tv_nsec;
}

static void on_usr1(int sig)
{
	(void)sig;
	wl_go = 1;
}

static void on_term(int sig)
{
	(void)sig;
	wl_stop = 1;
}

static void *xrealloc(void *p, size_t sz)
{
	p = realloc(p, sz);
	if (!p) {
		perror("realloc");
		exit(1);
	}
	return p;
}

static void add_rec(uint32_t zone, uint32_t chunk, struct wl_chunk *c)
{
	if (nr_recs == cap_recs) {
		cap_recs = cap_recs ? cap_recs * 2 : 65536;
		recs = xrealloc(recs, cap_recs * sizeof(*recs));
	}
	recs[nr_recs].t0 = c->t0;
	recs[nr_recs].t1 = c->t1;
	recs[nr_recs].zone = zone;
	recs[nr_recs].chunk = chunk;
	recs[nr_recs].count = c->count;
	nr_recs++;
}

static void add_prog(uint64_t t)
{
	if (nr_progs == cap_progs) {
		cap_progs = cap_progs ? cap_progs * 2 : 4096;
		progs = xrealloc(progs, cap_progs * sizeof(*progs));
	}
	progs[nr_progs].t = t;
	progs[nr_progs].pages = pages_touched;
	nr_progs++;
}

unsigned long wl_parse_size(const char *s)
{
	char *end;
	unsigned long v = strtoul(s, &end, 0);

	switch (*end) {
	case 'T': case 't':
		v <<= 10;
		/* fall through */
	case 'G': case 'g':
		v <<= 10;
		/* fall through */
	case 'M': case 'm':
		v <<= 10;
		/* fall through */
	case 'K': case 'k':
		v <<= 10;
	}
	return v;
}

unsigned long wl_size_arg(int argc, char **argv, unsigned long def,
			  unsigned long min)
{
	unsigned long size = def;
	int i;

	for (i = 1; i < argc - 1; i++)
		if (!strcmp(argv[i], "-s"))
			size = wl_parse_size(argv[i + 1]) & ~(64 * MiB - 1);
	return size < min ? min : size;
}

/* Write one byte of every page of [p, p + len). */
static void touch(char *p, unsigned long len)
{
	volatile char *v = p;
	unsigned long i;

	for (i = 0; i < len; i += WL_PAGE)
		v[i]++;
	pages_touched += len / WL_PAGE;
}

/* Touch every page of the mapping once, or of its zones only if sparse. */
static void populate(char *base, const struct wl_spec *spec)
{
	const struct wl_zone *z;

	if (!spec->sparse) {
		touch(base, spec->size);
		return;
	}
	for (z = spec->zones; z < spec->zones + spec->nr_zones; z++)
		touch(base + z->start, z->end - z->start);
}

static void touch_zone(char *base, struct wl_zone *z, int zi,
		       struct wl_chunk *chunks)
{
	unsigned long off;
	uint32_t ci = 0;

	for (off = z->start; off < z->end && !wl_stop; off += WL_CHUNK, ci++) {
		unsigned long len = z->end - off < WL_CHUNK ? z->end - off : WL_CHUNK;
		struct wl_chunk *c = &chunks[ci];
		uint64_t t0 = now_ns(), t1;

		touch(base + off, len);
		t1 = now_ns();
		if (c->count && t0 - c->t1 <= WL_GAP_NS) {
			c->t1 = t1;
			c->count++;
		} else {
			if (c->count)
				add_rec(zi, ci, c);
			c->t0 = t0;
			c->t1 = t1;
			c->count = 1;
		}
	}
}

/* Log the physical frames behind the mapping as "P off pfn npages" runs. */
static unsigned long dump_pfns(FILE *out, char *base, unsigned long size)
{
	unsigned long npages = size / WL_PAGE, i, run_off = 0, run_pfn = 0;
	unsigned long run_len = 0, missing = 0;
	uint64_t *ents;
	int fd;

	fd = open("/proc/self/pagemap", O_RDONLY);
	if (fd < 0) {
		fprintf(out, "error pagemap %s\n", strerror(errno));
		return npages;
	}
	ents = malloc(npages * sizeof(*ents));
	if (!ents || pread(fd, ents, npages * sizeof(*ents),
			   (uintptr_t)base / WL_PAGE * sizeof(*ents)) !=
			(ssize_t)(npages * sizeof(*ents))) {
		fprintf(out, "error pagemap read\n");
		close(fd);
		free(ents);
		return npages;
	}
	close(fd);
	for (i = 0; i <= npages; i++) {
		int present = i < npages && (ents[i] >> 63) & 1;
		unsigned long pfn = present ? ents[i] & ((1ULL << 55) - 1) : 0;

		if (i < npages && !present)
			missing++;
		if (run_len && present && pfn == run_pfn + run_len &&
		    i * WL_PAGE == run_off + run_len * WL_PAGE) {
			run_len++;
			continue;
		}
		if (run_len)
			fprintf(out, "P %lu %lu %lu\n", run_off, run_pfn, run_len);
		run_len = 0;
		if (present && pfn) {
			run_off = i * WL_PAGE;
			run_pfn = pfn;
			run_len = 1;
		}
	}
	free(ents);
	return missing;
}

int wl_main(struct wl_spec *spec, int argc, char **argv)
{
	double dur = 0;
	const char *logpath = "/dev/stdout";
	int want_pfns = 0, opt, i;
	struct wl_chunk **chunks;
	uint64_t go, last_prog, now, end;
	char *base;
	FILE *out;
	size_t r;

	while ((opt = getopt(argc, argv, "d:o:ps:")) != -1) {
		switch (opt) {
		case 'd':
			dur = atof(optarg);
			break;
		case 'o':
			logpath = optarg;
			break;
		case 'p':
			want_pfns = 1;
			break;
		case 's':
			/* handled by the workload before calling wl_main() */
			break;
		default:
			fprintf(stderr, "usage: %s [-d secs] [-o log] [-p] [-s size]\n",
				argv[0]);
			return 2;
		}
	}
	signal(SIGUSR1, on_usr1);
	signal(SIGTERM, on_term);
	signal(SIGINT, on_term);

	base = mmap(NULL, spec->size, PROT_READ | PROT_WRITE,
		    MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (base == MAP_FAILED) {
		perror("mmap");
		return 1;
	}
	madvise(base, spec->size, MADV_NOHUGEPAGE);
	if (want_pfns && mlock(base, spec->size))
		perror("mlock");
	populate(base, spec);
	pages_touched = 0;

	chunks = calloc(spec->nr_zones, sizeof(*chunks));
	for (i = 0; i < spec->nr_zones; i++) {
		struct wl_zone *z = &spec->zones[i];

		chunks[i] = calloc((z->end - z->start + WL_CHUNK - 1) / WL_CHUNK,
				   sizeof(**chunks));
		if (!chunks[i])
			return 1;
	}
	phase_lines = calloc(spec->nr_zones * 1024 + 1, sizeof(*phase_lines));

	out = fopen(logpath, "w");
	if (!out) {
		perror(logpath);
		return 1;
	}
	fprintf(out, "wl %s\nbase %lu size %lu\n", spec->name,
		(unsigned long)base, spec->size);
	for (i = 0; i < spec->nr_zones; i++) {
		struct wl_zone *z = &spec->zones[i];

		fprintf(out, "zone %d %lu %lu %ld %.3f %.3f %s\n", i, z->start,
			z->end, z->period_ms, z->from, z->to, z->label);
	}
	if (want_pfns)
		fprintf(out, "pfn_missing %lu\n", dump_pfns(out, base, spec->size));
	fflush(out);

	printf("ready %d\n", (int)getpid());
	fflush(stdout);
	while (!wl_go && !wl_stop)
		usleep(1000);

	go = now_ns();
	last_prog = go;
	add_prog(go);
	end = dur > 0 ? go + (uint64_t)(dur * 1e9) : UINT64_MAX;
	for (i = 0; i < spec->nr_zones; i++)
		spec->zones[i].next_due = 0;

	while (!wl_stop && (now = now_ns()) < end) {
		double t = (now - go) / 1e9, next = t + 0.01;
		int did = 0;

		for (i = 0; i < spec->nr_zones; i++) {
			struct wl_zone *z = &spec->zones[i];
			int active = z->period_ms >= 0 && t >= z->from && t < z->to;

			if (active && !z->was_active && nr_phases < (size_t)spec->nr_zones * 1024) {
				char *l = malloc(128);

				snprintf(l, 128, "phase %llu %d %s",
					 (unsigned long long)now, i, z->label);
				phase_lines[nr_phases++] = l;
			}
			z->was_active = active;
			if (!active) {
				if (z->period_ms >= 0 && z->from > t && z->from < next)
					next = z->from;
				continue;
			}
			if (z->period_ms == 0 || t >= z->next_due) {
				touch_zone(base, z, i, chunks[i]);
				z->next_due = t + z->period_ms / 1000.0;
				did = 1;
			} else if (z->next_due < next) {
				next = z->next_due;
			}
		}
		now = now_ns();
		if (now - last_prog >= 100000000ULL) {
			add_prog(now);
			last_prog = now;
		}
		if (!did) {
			double wait = next - (now - go) / 1e9;

			if (wait > 0)
				usleep(wait > 0.01 ? 10000 : (useconds_t)(wait * 1e6) + 1);
		}
	}
	end = now_ns();
	add_prog(end);

	for (i = 0; i < spec->nr_zones; i++) {
		struct wl_zone *z = &spec->zones[i];
		uint32_t ci, n = (z->end - z->start + WL_CHUNK - 1) / WL_CHUNK;

		for (ci = 0; ci < n; ci++)
			if (chunks[i][ci].count)
				add_rec(i, ci, &chunks[i][ci]);
	}
	fprintf(out, "go %llu\nend %llu\n", (unsigned long long)go,
		(unsigned long long)end);
	for (r = 0; r < nr_phases; r++)
		fprintf(out, "%s\n", phase_lines[r]);
	for (r = 0; r < nr_progs; r++)
		fprintf(out, "R %llu %llu\n", (unsigned long long)progs[r].t,
			(unsigned long long)progs[r].pages);
	/* T zone-relative chunk as absolute offsets: start end t0 t1 count */
	for (r = 0; r < nr_recs; r++) {
		struct wl_zone *z = &spec->zones[recs[r].zone];
		unsigned long s = z->start + (unsigned long)recs[r].chunk * WL_CHUNK;
		unsigned long e = s + WL_CHUNK < z->end ? s + WL_CHUNK : z->end;

		fprintf(out, "T %lu %lu %llu %llu %u\n", s, e,
			(unsigned long long)recs[r].t0,
			(unsigned long long)recs[r].t1, recs[r].count);
	}
	if (want_pfns) {
		fprintf(out, "pfn_end_begin\n");
		fprintf(out, "pfn_end_missing %lu\n", dump_pfns(out, base, spec->size));
	}
	fprintf(out, "done\n");
	fclose(out);
	return 0;
}
