/* The baseline of the bcemu round-trip benchmark: answers every <CR> read on stdin with
   "\r\nOK\r\n" on stdout and does nothing else, so one round trip through it costs only the
   process and pipe (or pty) overhead. Unbuffered: each read's answers go out in one write(). */
#include <errno.h>
#include <string.h>
#include <unistd.h>

int main(void) {
  static const char ok[] = "\r\nOK\r\n";
  enum { ok_len = sizeof ok - 1, in_size = 4096 };
  static char in[in_size];
  static char out[in_size * ok_len];
  for (;;) {
    const ssize_t n = read(STDIN_FILENO, in, sizeof in);
    if (n == 0) return 0;
    if (n < 0) {
      if (errno == EINTR) continue;
      return 1;
    }
    size_t len = 0;
    for (ssize_t i = 0; i < n; ++i) {
      if (in[i] == '\r') {
        memcpy(out + len, ok, ok_len);
        len += ok_len;
      }
    }
    for (size_t done = 0; done < len;) {
      const ssize_t w = write(STDOUT_FILENO, out + done, len - done);
      if (w < 0 && errno == EINTR) continue;
      if (w <= 0) return 1;
      done += (size_t)w;
    }
  }
}
