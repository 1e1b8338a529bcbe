/* native: runs an example handler under real CivetWeb, for comparison with
 * the sandboxed build (see examples/native_test.go).
 *
 * The example's .c file is compiled unchanged against the system civetweb.h
 * and linked with this main, which does what civetbox does for a guest:
 *
 *     cc examples/native/main.c examples/hello/hello.c -lcivetweb
 *
 * It starts CivetWeb on 127.0.0.1 with an OS-chosen port and no
 * document_root (unhandled requests get CivetWeb's 404), calls the example's
 * civetbox_init(ctx) to register its handlers, prints the port as one line
 * on stdout, and serves until stdin reaches end of file or SIGTERM/SIGINT
 * arrives. Arguments are extra CivetWeb options as name value pairs, e.g.
 * "enable_keep_alive yes". */

#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "civetweb.h"

/* Supplied by the example: registers its handlers. */
int civetbox_init(struct mg_context *ctx);

#define MAX_OPTIONS 32

static volatile sig_atomic_t stop_requested;

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
	return 1;
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

	if ((argc - 1) % 2 != 0 || argc - 1 > 2 * (MAX_OPTIONS - 2)) {
		fprintf(stderr, "usage: %s [option value]...\n", argv[0]);
		return 2;
	}
	options[n++] = "listening_ports";
	options[n++] = "127.0.0.1:0";
	options[n++] = "num_threads";
	options[n++] = "4";
	for (i = 1; i < argc; i++) {
		options[n++] = argv[i];
	}
	options[n] = NULL;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal; /* no SA_RESTART: read() below returns EINTR */
	sigemptyset(&sa.sa_mask);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);

	memset(&callbacks, 0, sizeof(callbacks));
	callbacks.log_message = log_message;

	mg_init_library(0);
	ctx = mg_start(&callbacks, NULL, options);
	if (ctx == NULL) {
		fprintf(stderr, "native: mg_start failed\n");
		mg_exit_library();
		return 1;
	}
	rc = civetbox_init(ctx);
	if (rc != 0) {
		fprintf(stderr, "native: civetbox_init returned %d\n", rc);
		mg_stop(ctx);
		mg_exit_library();
		return 1;
	}
	memset(ports, 0, sizeof(ports));
	nports = mg_get_server_ports(ctx, 4, ports);
	if (nports < 1 || ports[0].port <= 0) {
		fprintf(stderr, "native: no listening port (mg_get_server_ports: %d)\n", nports);
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
