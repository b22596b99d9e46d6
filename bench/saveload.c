/*
 * saveload — the saves scenario of bench/serve_load.py, in C, so that the
 * client's own CPU does not hide the server's figures on a 2-core machine
 * (the Python client costs about 0.2-0.3 ms of CPU a save; this one a few
 * microseconds). Run by hand or through `serve_load.py --client c`, never
 * by the test suite.
 *
 *   saveload --port P --links FILE [--seconds S] [--rate R] [--acked FILE]
 *
 * FILE has one "town_id<TAB>/link/path" line per session. Each session logs
 * in through its invitation link (GET the link, POST its csrf, GET /dossier
 * with the cookie for the form's csrf), keeping its keep-alive connection;
 * then all sessions save their dossier again and again for S seconds: two
 * numbers of two sections, new values each time, with the revision of the
 * last acknowledged answer and the values shown (what the browser's form
 * sends). Without --rate each session saves again as soon as answered (a
 * closed loop); with --rate R the sessions together offer R saves a second,
 * session i due at start + i/R and then every n/R, latency counted from
 * when the save was due (a slow server is not hidden by waiting).
 *
 * A save is acknowledged when the answer is 200, holds id="saved" and the
 * form's new revision; --acked writes "town<TAB>revision<TAB>a<TAB>b" per
 * session, for serve_load.py's check that every acknowledged save is in the
 * file. Prints saves/s, the latency histogram's percentiles, errors and the
 * client's CPU. 127.0.0.1 only, bounded in sessions and seconds.
 */
#define _GNU_SOURCE /* memmem */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define A_CRIT "consultations-en-ligne" /* two number criteria of two sections, as serve_load.py */
#define B_CRIT "heures-mediation"
#define MAX_SESSIONS 1000
#define TOKEN_LEN 43 /* csrf and session tokens: 32 bytes in unpadded base64url */

/* ---- the latency histogram: log-linear, under 1.6 % error, microseconds ---- */

#define SUB 64
#define NBUCKETS (2 * SUB + 40 * SUB)

static uint64_t hist[NBUCKETS], hist_n, hist_max;

static unsigned bucket_of(uint64_t us)
{
	unsigned shift = 0;
	if (us < 2 * SUB)
		return (unsigned)us;
	while ((us >> shift) >= 2 * SUB)
		shift++;
	/* us >> shift is in [SUB, 2 SUB): SUB sub-buckets for each power of two. */
	unsigned i = 2 * SUB + (shift - 1) * SUB + (unsigned)((us >> shift) - SUB);
	return i < NBUCKETS ? i : NBUCKETS - 1;
}

static uint64_t bucket_top(unsigned i)
{
	if (i < 2 * SUB)
		return i;
	unsigned shift = (i - 2 * SUB) / SUB + 1;
	uint64_t sub = SUB + (i - 2 * SUB) % SUB;
	return ((sub + 1) << shift) - 1;
}

static void hist_add(uint64_t us)
{
	hist[bucket_of(us)]++;
	hist_n++;
	if (us > hist_max)
		hist_max = us;
}

/* The smallest bucket top under which p % of the latencies fall. */
static double hist_pct(double p)
{
	uint64_t want = (uint64_t)(p / 100.0 * (double)hist_n), seen = 0;
	for (unsigned i = 0; i < NBUCKETS; i++) {
		seen += hist[i];
		if (seen > want)
			return (double)(bucket_top(i) < hist_max ? bucket_top(i) : hist_max) / 1e3;
	}
	return (double)hist_max / 1e3;
}

/* ---- time ---- */

static uint64_t now_us(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000u + (uint64_t)ts.tv_nsec / 1000u;
}

/* ---- one connection, one request at a time ---- */

typedef struct {
	char town[32];
	char link[256];
	char cookie[TOKEN_LEN + 1], csrf[TOKEN_LEN + 1];
	int fd;
	/* the request being sent, and the answer being read */
	char out[1024];
	size_t out_len, out_off;
	char *in;
	size_t in_len, in_cap;
	int busy;
	int in_ep; /* its connection is in the epoll set */
	uint64_t sent_at, due;
	/* what the server acknowledged */
	long acked_rev;
	long acked_a, acked_b; /* -1: none yet */
	long k;                /* saves begun */
	long shown_a, shown_b;
	long pending_a, pending_b;
	uint64_t saves, errors;
} session;

static unsigned short port;
static char origin[64];

static int connect_to(void)
{
	struct sockaddr_in sa;
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0), one = 1;
	if (fd < 0)
		return -1;
	memset(&sa, 0, sizeof sa);
	sa.sin_family = AF_INET;
	sa.sin_port = htons(port);
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	/* A request is one write: no waiting for an ACK before sending it. */
	setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
	if (connect(fd, (struct sockaddr *)&sa, sizeof sa) != 0) {
		close(fd);
		return -1;
	}
	return fd;
}

static int set_nonblocking(int fd, int on)
{
	int fl = fcntl(fd, F_GETFL);
	if (fl < 0)
		return -1;
	return fcntl(fd, F_SETFL, on ? fl | O_NONBLOCK : fl & ~O_NONBLOCK);
}

/* Builds the request in s->out: 0, or -1 when it does not fit. */
static int build_request(session *s, const char *method, const char *path, const char *body)
{
	int n;
	size_t blen = body ? strlen(body) : 0;
	if (body)
		n = snprintf(s->out, sizeof s->out,
			     "%s %s HTTP/1.1\r\nHost: 127.0.0.1:%u\r\n%s%s%sOrigin: %s\r\n"
			     "Content-Type: application/x-www-form-urlencoded\r\nContent-Length: %zu\r\n\r\n%s",
			     method, path, (unsigned)port, s->cookie[0] ? "Cookie: palmares_session=" : "",
			     s->cookie, s->cookie[0] ? "\r\n" : "", origin, blen, body);
	else
		n = snprintf(s->out, sizeof s->out, "%s %s HTTP/1.1\r\nHost: 127.0.0.1:%u\r\n%s%s%s\r\n", method,
			     path, (unsigned)port, s->cookie[0] ? "Cookie: palmares_session=" : "", s->cookie,
			     s->cookie[0] ? "\r\n" : "");
	if (n < 0 || (size_t)n >= sizeof s->out)
		return -1;
	s->out_len = (size_t)n;
	s->out_off = 0;
	s->in_len = 0;
	return 0;
}

/* A header's value in the head (up to "\r\n\r\n"), case-insensitive name: a
 * pointer into the head and its length, or NULL. */
static const char *header(const char *head, size_t head_len, const char *name, size_t *len)
{
	size_t nl = strlen(name);
	const char *p = memchr(head, '\n', head_len), *end = head + head_len;
	while (p && p + 1 < end) {
		const char *line = p + 1, *eol = memchr(line, '\n', (size_t)(end - line));
		if (!eol)
			break;
		if ((size_t)(eol - line) > nl && line[nl] == ':' && strncasecmp(line, name, nl) == 0) {
			const char *v = line + nl + 1;
			while (v < eol && *v == ' ')
				v++;
			*len = (size_t)(eol - v) - (eol[-1] == '\r');
			return v;
		}
		p = eol;
	}
	return NULL;
}

/* Whether s->in holds a whole answer: 1 with its status and body, 0 not yet,
 * -1 malformed (libmicrohttpd answers these pages with a Content-Length). */
static int whole_answer(session *s, int *status, const char **body, size_t *body_len, int *closing)
{
	const char *end = s->in_len >= 4 ? memmem(s->in, s->in_len, "\r\n\r\n", 4) : NULL;
	size_t head_len, clen_len, conn_len;
	const char *clen, *conn;
	char num[24];
	char *e;
	if (!end)
		return s->in_len > 65536 ? -1 : 0;
	head_len = (size_t)(end - s->in) + 4;
	if (s->in_len < 12 || strncmp(s->in, "HTTP/1.1 ", 9) != 0)
		return -1;
	clen = header(s->in, head_len, "Content-Length", &clen_len);
	if (!clen || clen_len == 0 || clen_len >= sizeof num)
		return -1;
	memcpy(num, clen, clen_len);
	num[clen_len] = 0;
	errno = 0;
	unsigned long long n = strtoull(num, &e, 10);
	if (errno || *e)
		return -1;
	if (s->in_len < head_len + n)
		return 0;
	*status = (int)strtol(s->in + 9, NULL, 10);
	*body = s->in + head_len;
	*body_len = (size_t)n;
	conn = header(s->in, head_len, "Connection", &conn_len);
	*closing = conn && conn_len == 5 && strncasecmp(conn, "close", 5) == 0;
	return 1;
}

static int grow_in(session *s)
{
	if (s->in_cap - s->in_len >= 16384)
		return 0;
	size_t cap = s->in_cap ? s->in_cap * 2 : 65536;
	char *p = realloc(s->in, cap);
	if (!p)
		return -1;
	s->in = p;
	s->in_cap = cap;
	return 0;
}

/* One blocking request (the logins): 0 with the answer in s->in, or -1. */
static int blocking_request(session *s, const char *method, const char *path, const char *body, int *status,
			    const char **page, size_t *page_len)
{
	int closing;
	if (s->fd < 0 && (s->fd = connect_to()) < 0)
		return -1;
	if (build_request(s, method, path, body) != 0)
		return -1;
	while (s->out_off < s->out_len) {
		ssize_t w = send(s->fd, s->out + s->out_off, s->out_len - s->out_off, MSG_NOSIGNAL);
		if (w <= 0)
			return -1;
		s->out_off += (size_t)w;
	}
	for (;;) {
		int r = whole_answer(s, status, page, page_len, &closing);
		if (r < 0)
			return -1;
		if (r > 0)
			break;
		if (grow_in(s) != 0)
			return -1;
		ssize_t n = recv(s->fd, s->in + s->in_len, s->in_cap - s->in_len, 0);
		if (n <= 0)
			return -1;
		s->in_len += (size_t)n;
	}
	if (closing) {
		close(s->fd);
		s->fd = -1;
	}
	return 0;
}

/* Copies the 43-character token after `key` in the page into out: 0 or -1. */
static int token_after(const char *page, size_t len, const char *key, char *out)
{
	size_t kl = strlen(key);
	const char *p = memmem(page, len, key, kl);
	if (!p || (size_t)(page + len - (p + kl)) < TOKEN_LEN)
		return -1;
	p += kl;
	for (int i = 0; i < TOKEN_LEN; i++) {
		char c = p[i];
		if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
		      c == '_'))
			return -1;
	}
	memcpy(out, p, TOKEN_LEN);
	out[TOKEN_LEN] = 0;
	return 0;
}

#define CSRF_KEY "name=\"csrf\" value=\""
#define REV_KEY "name=\"revision\" value=\""

static int login(session *s)
{
	int status;
	const char *page;
	size_t len, hl;
	char body[64];
	s->cookie[0] = 0;
	if (blocking_request(s, "GET", s->link, NULL, &status, &page, &len) != 0 ||
	    token_after(page, len, CSRF_KEY, s->csrf) != 0)
		return -1;
	snprintf(body, sizeof body, "csrf=%s", s->csrf);
	if (blocking_request(s, "POST", s->link, body, &status, &page, &len) != 0)
		return -1;
	const char *end = memmem(s->in, s->in_len, "\r\n\r\n", 4);
	const char *v = end ? header(s->in, (size_t)(end - s->in) + 4, "Set-Cookie", &hl) : NULL;
	if (!v || token_after(v, hl, "palmares_session=", s->cookie) != 0)
		return -1;
	if (blocking_request(s, "GET", "/dossier", NULL, &status, &page, &len) != 0 || status != 200 ||
	    token_after(page, len, CSRF_KEY, s->csrf) != 0)
		return -1;
	return 0;
}

/* ---- the load ---- */

static void num_text(long v, char *out, size_t n)
{
	if (v < 0)
		out[0] = 0;
	else
		snprintf(out, n, "%ld", v);
}

static int start_save(session *s, uint64_t t)
{
	char body[512], sa[24], sb[24];
	s->k++;
	s->pending_a = s->k;
	s->pending_b = s->k + 1000;
	num_text(s->shown_a, sa, sizeof sa);
	num_text(s->shown_b, sb, sizeof sb);
	snprintf(body, sizeof body, "csrf=%s&revision=%ld&o." A_CRIT "=%s&a." A_CRIT "=%ld&o." B_CRIT "=%s&a." B_CRIT
		 "=%ld",
		 s->csrf, s->acked_rev, sa, s->pending_a, sb, s->pending_b);
	if (build_request(s, "POST", "/dossier", body) != 0)
		return -1;
	s->sent_at = t;
	s->busy = 1;
	return 0;
}

/* What one answer to a save says: acknowledged (with its revision) or an error. */
static void finish_save(session *s, int status, const char *page, size_t len, uint64_t t, uint64_t start_lat)
{
	hist_add(t - start_lat);
	const char *p = memmem(page, len, REV_KEY, sizeof REV_KEY - 1);
	char *e;
	long rev = p ? strtol(p + sizeof REV_KEY - 1, &e, 10) : -1;
	if (status != 200 || !memmem(page, len, "id=\"saved\"", 10) || !p || rev <= 0) {
		s->errors++;
		return;
	}
	s->acked_rev = rev;
	s->acked_a = s->shown_a = s->pending_a;
	s->acked_b = s->shown_b = s->pending_b;
	s->saves++;
}

static void usage(void)
{
	fputs("usage: saveload --port P --links FILE [--seconds S] [--rate R] [--acked FILE]\n", stderr);
	exit(2);
}

static double num_arg(const char *v, double lo, double hi, const char *what)
{
	char *e;
	errno = 0;
	double d = v ? strtod(v, &e) : 0;
	if (!v || errno || *e || !(d >= lo && d <= hi)) {
		fprintf(stderr, "saveload: %s must be a number from %g to %g\n", what, lo, hi);
		exit(2);
	}
	return d;
}

static double cpu_seconds(void)
{
	struct rusage ru;
	getrusage(RUSAGE_SELF, &ru);
	return (double)ru.ru_utime.tv_sec + (double)ru.ru_utime.tv_usec / 1e6 + (double)ru.ru_stime.tv_sec +
	       (double)ru.ru_stime.tv_usec / 1e6;
}

int main(int argc, char **argv)
{
	const char *links = NULL, *acked = NULL;
	double seconds = 10, rate = 0;
	session *ss;
	size_t n = 0;
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
		if (!strcmp(a, "--port"))
			port = (unsigned short)num_arg(v, 1, 65535, "--port");
		else if (!strcmp(a, "--links"))
			links = v;
		else if (!strcmp(a, "--seconds"))
			seconds = num_arg(v, 0.1, 120, "--seconds");
		else if (!strcmp(a, "--rate"))
			rate = num_arg(v, 0, 1e6, "--rate");
		else if (!strcmp(a, "--acked"))
			acked = v;
		else
			usage();
		i++;
	}
	if (!port || !links)
		usage();
	snprintf(origin, sizeof origin, "http://127.0.0.1:%u", (unsigned)port);

	ss = calloc(MAX_SESSIONS, sizeof *ss);
	FILE *f = fopen(links, "r");
	if (!ss || !f) {
		fprintf(stderr, "saveload: cannot read %s\n", links);
		return 1;
	}
	{
		char line[512];
		while (fgets(line, sizeof line, f)) {
			char *tab = strchr(line, '\t'), *nl = strchr(line, '\n');
			if (nl)
				*nl = 0;
			if (!tab || (size_t)(tab - line) >= sizeof ss[0].town || strlen(tab + 1) >= sizeof ss[0].link)
				continue;
			if (n == MAX_SESSIONS) {
				fprintf(stderr, "saveload: at most %d sessions\n", MAX_SESSIONS);
				return 2;
			}
			memcpy(ss[n].town, line, (size_t)(tab - line));
			snprintf(ss[n].link, sizeof ss[n].link, "%s", tab + 1);
			ss[n].fd = -1;
			ss[n].acked_a = ss[n].acked_b = ss[n].shown_a = ss[n].shown_b = -1;
			n++;
		}
		fclose(f);
	}
	if (!n) {
		fprintf(stderr, "saveload: no session in %s\n", links);
		return 1;
	}

	uint64_t t0 = now_us();
	for (size_t i = 0; i < n; i++)
		if (login(&ss[i]) != 0) {
			fprintf(stderr, "saveload: session %s cannot log in\n", ss[i].town);
			return 1;
		}
	printf("  %zu sessions logged in in %.1f s\n", n, (double)(now_us() - t0) / 1e6);

	int ep = epoll_create1(EPOLL_CLOEXEC);
	if (ep < 0)
		return 1;
	double cpu0 = cpu_seconds();
	uint64_t start = now_us(), until = start + (uint64_t)(seconds * 1e6);
	uint64_t period = rate > 0 ? (uint64_t)((double)n / rate * 1e6) : 0;
	uint64_t reconnects = 0;
	for (size_t i = 0; i < n; i++)
		ss[i].due = start + (period ? period * i / n : 0);
	struct epoll_event evs[256];
	size_t active = n; /* sessions not finished */
	while (active) {
		uint64_t t = now_us(), next = UINT64_MAX;
		active = 0;
		/* Start what is due (the closed loop: everything idle is due). */
		for (size_t i = 0; i < n; i++) {
			session *s = &ss[i];
			if (s->busy) {
				active++;
				continue;
			}
			if (t >= until || (period && s->due >= until))
				continue;
			active++;
			if (period && s->due > t) {
				if (s->due < next)
					next = s->due;
				continue;
			}
			if (s->fd < 0) {
				if ((s->fd = connect_to()) < 0) {
					s->errors++;
					s->due += period;
					continue;
				}
				reconnects++;
			}
			if (!s->in_ep) {
				struct epoll_event ev = {.events = EPOLLIN | EPOLLOUT | EPOLLET, .data.ptr = s};
				if (set_nonblocking(s->fd, 1) != 0 || epoll_ctl(ep, EPOLL_CTL_ADD, s->fd, &ev) != 0) {
					s->errors++;
					close(s->fd);
					s->fd = -1;
					s->due += period;
					continue;
				}
				s->in_ep = 1;
			}
			if (start_save(s, t) != 0) {
				s->errors++;
				continue;
			}
			/* Latency from when it was due: a session late because its
			 * last answer was slow counts that wait too. */
			s->sent_at = period ? s->due : t;
			s->due += period;
			/* Sent now, most often whole: EPOLLET would not tell us again. */
			ssize_t w = send(s->fd, s->out, s->out_len, MSG_NOSIGNAL);
			if (w > 0)
				s->out_off = (size_t)w;
		}
		if (!active)
			break;
		int timeout = 100;
		if (next != UINT64_MAX)
			timeout = next > t ? (int)((next - t + 999) / 1000) : 0;
		int k = epoll_wait(ep, evs, (int)(sizeof evs / sizeof evs[0]), timeout);
		for (int j = 0; j < k; j++) {
			session *s = evs[j].data.ptr;
			int status, closing = 0, r = 0, dead = 0;
			const char *page;
			size_t len;
			if (!s->busy)
				continue;
			while (s->out_off < s->out_len) {
				ssize_t w = send(s->fd, s->out + s->out_off, s->out_len - s->out_off, MSG_NOSIGNAL);
				if (w > 0) {
					s->out_off += (size_t)w;
				} else {
					dead = !(w < 0 && (errno == EAGAIN || errno == EWOULDBLOCK));
					break;
				}
			}
			while (!dead) {
				if (grow_in(s) != 0) {
					dead = 1;
					break;
				}
				ssize_t m = recv(s->fd, s->in + s->in_len, s->in_cap - s->in_len, 0);
				if (m > 0) {
					s->in_len += (size_t)m;
					continue;
				}
				if (m < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
					break;
				dead = 1;
			}
			r = whole_answer(s, &status, &page, &len, &closing);
			if (r > 0) {
				finish_save(s, status, page, len, now_us(), s->sent_at);
				s->busy = 0;
			} else if (r < 0 || dead) {
				s->errors++;
				s->busy = 0;
				closing = 1;
			}
			if (closing && !s->busy) {
				epoll_ctl(ep, EPOLL_CTL_DEL, s->fd, NULL);
				close(s->fd);
				s->fd = -1;
				s->in_ep = 0;
			}
		}
		/* A server that stopped answering: what is still in flight after
		 * libmicrohttpd's 30 s connection timeout counts as errors. */
		if (t > until + 35000000u) {
			for (size_t i = 0; i < n; i++)
				ss[i].errors += (uint64_t)ss[i].busy;
			break;
		}
	}
	double wall = (double)(now_us() - start) / 1e6, cpu = cpu_seconds() - cpu0;

	uint64_t saves = 0, errors = 0;
	for (size_t i = 0; i < n; i++) {
		saves += ss[i].saves;
		errors += ss[i].errors;
	}
	printf("  %" PRIu64 " saves acknowledged in %.1f s: %.0f saves/s\n", saves, wall, (double)saves / wall);
	printf("  latency p50 %.1f ms, p90 %.1f ms, p99 %.1f ms, p99.9 %.1f ms, max %.1f ms\n", hist_pct(50),
	       hist_pct(90), hist_pct(99), hist_pct(99.9), (double)hist_max / 1e3);
	printf("  errors: %" PRIu64 "; reconnections: %" PRIu64 "; this client's CPU %.2f s (%.3f ms a save)\n",
	       errors, reconnects, cpu, saves ? cpu / (double)saves * 1e3 : 0.0);
	if (acked) {
		FILE *o = fopen(acked, "w");
		if (!o)
			return 1;
		for (size_t i = 0; i < n; i++) {
			char sa[24], sb[24];
			num_text(ss[i].acked_a, sa, sizeof sa);
			num_text(ss[i].acked_b, sb, sizeof sb);
			fprintf(o, "%s\t%ld\t%s\t%s\n", ss[i].town, ss[i].acked_rev, sa, sb);
		}
		if (fclose(o) != 0)
			return 1;
	}
	for (size_t i = 0; i < n; i++) {
		if (ss[i].fd >= 0)
			close(ss[i].fd);
		free(ss[i].in);
	}
	free(ss);
	close(ep);
	return errors ? 1 : 0;
}
