/* wasienv: reports the guest's WASI world as plain text lines, so a test can
 * check what the host gives it: the environment (getenv and the whole
 * environ array) and the clocks (time, clock_gettime, and a sleep measured
 * with the monotonic clock).
 */

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

#include "civetweb.h"

extern char **environ;

/* The report is built first so it can be sent with its length. */
static char out[4096];
static size_t used;

static void
say(const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(out + used, sizeof(out) - used, fmt, ap);
	va_end(ap);
	if (n > 0 && (size_t)n < sizeof(out) - used) {
		used += (size_t)n;
	}
}

static int
send_report(struct mg_connection *conn)
{
	mg_send_http_ok(conn, "text/plain", (long long)used);
	mg_write(conn, out, used);
	used = 0;
	return 200;
}

static int
env_handler(struct mg_connection *conn, void *cbdata)
{
	const char *x = getenv("X");
	int n = 0;

	(void)cbdata;
	say("X=%s\n", x ? x : "(unset)");
	while (environ && environ[n]) {
		say("entry=%s\n", environ[n]);
		n++;
	}
	say("count=%d\n", n);
	return send_report(conn);
}

static long long
ns(clockid_t id)
{
	struct timespec ts;

	if (clock_gettime(id, &ts) != 0) {
		return -1;
	}
	return (long long)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

/* /clock: time(NULL), both clocks in nanoseconds, and how long a 50 ms
 * sleep took by the monotonic clock. */
static int
clock_handler(struct mg_connection *conn, void *cbdata)
{
	long long before, after;

	(void)cbdata;
	say("time=%lld\n", (long long)time(NULL));
	say("realtime=%lld\n", ns(CLOCK_REALTIME));
	before = ns(CLOCK_MONOTONIC);
	usleep(50000);
	after = ns(CLOCK_MONOTONIC);
	say("slept=%lld\n", after - before);
	return send_report(conn);
}

int
civetbox_init(struct mg_context *ctx)
{
	mg_set_request_handler(ctx, "/env", env_handler, NULL);
	mg_set_request_handler(ctx, "/clock", clock_handler, NULL);
	return 0;
}
