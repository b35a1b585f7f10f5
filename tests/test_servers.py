"""The real servers the tests start (tests/servers.py): ready means answered, once."""

import http.server
import threading
import time

from tests.servers import is_serving


def test_a_slow_first_answer_is_waited_for_not_asked_for_again():
    """A request abandoned after a second kept running in one worker while another answered
    the retry, and raced the next test's database reset (a deadlock on PostgreSQL)."""
    requests = []

    class Slow(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            requests.append(self.path)
            time.sleep(1.5)
            self.send_response(200)
            self.end_headers()
            self.wfile.write(b"ok")

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Slow)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        assert is_serving(f"http://127.0.0.1:{server.server_port}/needs.txt", timeout=10)
    finally:
        server.shutdown()
        server.server_close()
    assert requests == ["/needs.txt"]
