/* native_main: runs one CivetWeb handler file under real CivetWeb 1.15, the
 * oracle that civetbox is compared with: by the differential suite in
 * internal/compat and by the examples' native test. internal/nativecivet
 * builds and starts it.
 *
 * The handler file is compiled unchanged against the system civetweb.h
 * (Debian libcivetweb-dev) and linked with this main:
 *
 *     cc internal/nativecivet/testdata/native_main.c examples/hello/hello.c -lcivetweb
 *
 * It starts CivetWeb on 127.0.0.1 with an OS-chosen port, calls the file's
 * civetbox_init(ctx) exactly as civetbox does for a guest, prints the port
 * (from mg_get_server_ports) as one line on stdout, and serves until stdin
 * reaches end of file or SIGTERM/SIGINT arrives; then it calls mg_stop.
 *
 * The options make CivetWeb comparable with civetbox behind Go's net/http:
 *
 *   - enable_keep_alive yes: Go always keeps HTTP/1.1 connections alive
 *     (CivetWeb's default is "no");
 *   - keep_alive_timeout_ms and request_timeout_ms generous, so no timer
 *     fires while a test holds a connection;
 *   - num_threads small: the tests open one connection at a time per
 *     server;
 *   - no document_root: a request no handler takes gets CivetWeb's 404
 *     page, as in civetbox;
 *   - enable_auth_domain_check no: civetbox has no authentication domain,
 *     so mg_get_request_link names the server's address, which CivetWeb
 *     does only without the check (by default it names "mydomain.com").
 *
 * Arguments are extra CivetWeb options as name value pairs; they override
 * the defaults above.
 *
 * CivetWeb's log messages (mg_cry included) go to stderr and, if the
 * environment variable NATIVE_CIVETWEB_LOG names a file, are also appended
 * to it, each ended by a NUL byte (messages may hold line breaks) and
 * written before the handler goes on: a test reads what a handler logged as
 * soon as its response is complete. */

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "civetweb.h"

/* Supplied by the handler file: registers its handlers. */
int civetbox_init(struct mg_context *ctx);

#define MAX_OPTIONS 32

static const char *default_options[] = {
    "listening_ports", "127.0.0.1:0",
    "num_threads", "4",
    "enable_keep_alive", "yes",
    "keep_alive_timeout_ms", "60000",
    "request_timeout_ms", "60000",
    "enable_auth_domain_check", "no",
    NULL,
};

static volatile sig_atomic_t stop_requested;
static FILE *log_file;

static void
on_signal(int sig)
{
	(void)sig;
	stop_requested = 1;
}

static int
log_message(const struct mg_connection *conn, const char *message)
{
	(void)conn;
	fprintf(stderr, "civetweb: %s\n", message);
	if (log_file != NULL) {
		fputs(message, log_file);
		fputc('\0', log_file);
		fflush(log_file);
	}
	return 1; /* handled: no error_log_file */
}

/* set_option replaces name's value in options, or appends it. */
static int
set_option(const char **options, int n, const char *name, const char *value)
{
	int i;

	for (i = 0; i < n; i += 2) {
		if (strcmp(options[i], name) == 0) {
			options[i + 1] = value;
			return n;
		}
	}
	options[n] = name;
	options[n + 1] = value;
	return n + 2;
}

int
main(int argc, char **argv)
{
	const char *options[2 * MAX_OPTIONS + 1];
	struct mg_callbacks callbacks;
	struct mg_server_port ports[4];
	struct sigaction sa;
	struct mg_context *ctx;
	char buf[256];
	int n = 0, i, nports, rc;

	if ((argc - 1) % 2 != 0 || argc - 1 > 2 * (MAX_OPTIONS - 8)) {
		fprintf(stderr, "usage: %s [option value]...\n", argv[0]);
		return 2;
	}
	for (i = 0; default_options[i] != NULL; i += 2) {
		n = set_option(options, n, default_options[i], default_options[i + 1]);
	}
	for (i = 1; i < argc; i += 2) {
		n = set_option(options, n, argv[i], argv[i + 1]);
	}
	options[n] = NULL;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal; /* no SA_RESTART: read() below returns EINTR */
	sigemptyset(&sa.sa_mask);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);

	if (getenv("NATIVE_CIVETWEB_LOG") != NULL) {
		log_file = fopen(getenv("NATIVE_CIVETWEB_LOG"), "a");
		if (log_file == NULL) {
			perror("native_main: NATIVE_CIVETWEB_LOG");
			return 1;
		}
	}

	memset(&callbacks, 0, sizeof(callbacks));
	callbacks.log_message = log_message;

	mg_init_library(0);
	ctx = mg_start(&callbacks, NULL, options);
	if (ctx == NULL) {
		fprintf(stderr, "native_main: mg_start failed\n");
		mg_exit_library();
		return 1;
	}
	rc = civetbox_init(ctx);
	if (rc != 0) {
		fprintf(stderr, "native_main: civetbox_init returned %d\n", rc);
		mg_stop(ctx);
		mg_exit_library();
		return 1;
	}
	memset(ports, 0, sizeof(ports));
	nports = mg_get_server_ports(ctx, 4, ports);
	if (nports < 1 || ports[0].port <= 0) {
		fprintf(stderr, "native_main: no listening port (mg_get_server_ports: %d)\n", nports);
		mg_stop(ctx);
		mg_exit_library();
		return 1;
	}
	printf("%d\n", ports[0].port);
	fflush(stdout);

	/* Serve until stdin closes or a signal asks us to stop. */
	while (!stop_requested) {
		ssize_t r = read(STDIN_FILENO, buf, sizeof(buf));
		if (r == 0 || (r < 0 && errno != EINTR)) {
			break;
		}
	}

	mg_stop(ctx);
	mg_exit_library();
	return 0;
}
