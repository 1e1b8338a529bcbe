/*
 * match_oracle: native CivetWeb 1.15 (libcivetweb) as the oracle for
 * civetbox's handler selection (internal/route).
 *
 * Usage: match_oracle PATTERN...
 *
 * Starts CivetWeb on 127.0.0.1 with a port chosen by the OS and calls
 * mg_set_request_handler once per argument, in order: an argument "!URI"
 * removes the handler for URI (handler NULL), any other argument registers
 * (or re-registers) a handler for it with the argument's index as cbdata.
 * It then prints the actual port on a line of its own and serves until its
 * standard input is closed.
 *
 * Every handler answers (it never returns 0, so CivetWeb cannot fall through
 * to another handler or to the file system) with a text/plain body of three
 * lines:
 *
 *   <pattern index>
 *   <local_uri as hex, "-" if NULL>
 *   <local_uri_raw as hex, "-" if NULL>
 *
 * A request that no handler matches gets CivetWeb's own 404.
 */
#include <civetweb.h>

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* put_hex appends s (or "-" for NULL) hex-encoded and a newline to out. */
static size_t
put_hex(char *out, const char *s)
{
	static const char digits[] = "0123456789abcdef";
	size_t n = 0;

	if (s == NULL) {
		out[n++] = '-';
	} else {
		for (; *s != '\0'; s++) {
			unsigned char c = (unsigned char)*s;
			out[n++] = digits[c >> 4];
			out[n++] = digits[c & 15];
		}
	}
	out[n++] = '\n';
	return n;
}

static int
answer(struct mg_connection *conn, void *cbdata)
{
	const struct mg_request_info *ri = mg_get_request_info(conn);
	size_t cap = 64;
	size_t n;
	char *body;

	if (ri->local_uri != NULL) {
		cap += 2 * strlen(ri->local_uri);
	}
	if (ri->local_uri_raw != NULL) {
		cap += 2 * strlen(ri->local_uri_raw);
	}
	body = malloc(cap);
	if (body == NULL) {
		mg_send_http_error(conn, 500, "%s", "out of memory");
		return 500;
	}
	n = (size_t)sprintf(body, "%d\n", (int)(intptr_t)cbdata);
	n += put_hex(body + n, ri->local_uri);
	n += put_hex(body + n, ri->local_uri_raw);

	mg_send_http_ok(conn, "text/plain", (long long)n);
	mg_write(conn, body, n);
	free(body);
	return 200;
}

int
main(int argc, char **argv)
{
	const char *options[] = {"listening_ports",
	                         "127.0.0.1:0",
	                         "num_threads",
	                         "4",
	                         "enable_keep_alive",
	                         "no",
	                         NULL};
	struct mg_callbacks callbacks;
	struct mg_server_port ports[4];
	struct mg_context *ctx;
	int i, n;

	mg_init_library(0);
	memset(&callbacks, 0, sizeof(callbacks));
	ctx = mg_start(&callbacks, NULL, options);
	if (ctx == NULL) {
		fprintf(stderr, "match_oracle: mg_start failed\n");
		return 1;
	}
	for (i = 1; i < argc; i++) {
		if (argv[i][0] == '!') {
			mg_set_request_handler(ctx, argv[i] + 1, NULL, NULL);
		} else {
			mg_set_request_handler(ctx,
			                       argv[i],
			                       answer,
			                       (void *)(intptr_t)(i - 1));
		}
	}

	n = mg_get_server_ports(ctx, 4, ports);
	if (n < 1 || ports[0].port <= 0) {
		fprintf(stderr, "match_oracle: no listening port (%d)\n", n);
		mg_stop(ctx);
		return 1;
	}
	printf("%d\n", ports[0].port);
	fflush(stdout);

	/* Serve until the test closes our standard input. Exiting ends the
	 * server threads; mg_stop would only add its poll timeouts. */
	while (getchar() != EOF) {
	}
	return 0;
}
