#!/usr/bin/env python3
"""A local HTTP server for the fetch tests: replays recorded responses, faults included.

Usage: server.py SCENARIO.json PORT_FILE LOG_FILE

It listens on 127.0.0.1 on a free port, writes the port to PORT_FILE, and logs
one line per request to LOG_FILE ("GET /path?query auth=yes|no|wrong").

A scenario is {"token": "...", "routes": [route, ...]}. A route matches a
request by "path" and, if given, the query parameters in "params" (the route
with most matching params wins). Its "responses" are served in turn, the last
one again and again. A response has:
  status (default 200), headers {name: value}, and a body from "body" (a JSON
  value or a string) or "body_file" (relative to the scenario's folder);
  or "blank_array": N (an empty JSON array padded to N bytes);
  "delay": seconds to wait before answering (a slow server);
  "truncate": send the full Content-Length but only half the body, then close;
  "{base}" in header values and string bodies becomes http://127.0.0.1:PORT,
  "{epoch+N}" (N = 1 or 300) in header values the Unix time N seconds ahead.
"""
import json
import os
import sys
import threading
import time
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


def load(path):
    with open(path, encoding="utf-8") as f:
        scenario = json.load(f)
    folder = os.path.dirname(os.path.abspath(path))
    for route in scenario["routes"]:
        route["served"] = 0
        for r in route["responses"]:
            if "body_file" in r:
                with open(os.path.join(folder, r["body_file"]), "rb") as f:
                    r["raw"] = f.read()
            elif "blank_array" in r:  # a large but valid body: [ and ] around N spaces
                r["raw"] = b"[" + b" " * r["blank_array"] + b"]"
            elif isinstance(r.get("body"), str):
                r["raw"] = r["body"].encode("utf-8")
            elif "body" in r:
                r["raw"] = json.dumps(r["body"], ensure_ascii=False).encode("utf-8")
            else:
                r["raw"] = b""
    return scenario


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):  # quiet: the log file says what was asked
        pass

    def do_GET(self):
        server = self.server
        url = urllib.parse.urlsplit(self.path)
        params = dict(urllib.parse.parse_qsl(url.query, keep_blank_values=True))
        auth = self.headers.get("Authorization")
        token = server.scenario.get("token")
        auth_state = "no" if auth is None else ("yes" if token and auth == "Bearer " + token else "wrong")
        with server.lock:
            server.log.write(f"GET {self.path} auth={auth_state}\n")
            server.log.flush()
            best, best_score = None, -1
            for route in server.scenario["routes"]:
                if route["path"] != url.path:
                    continue
                want = route.get("params", {})
                if all(params.get(k) == v for k, v in want.items()) and len(want) > best_score:
                    best, best_score = route, len(want)
            if best is None:
                response = {"status": 404, "raw": b'{"error":"Record not found"}'}
            else:
                i = min(best["served"], len(best["responses"]) - 1)
                best["served"] += 1
                response = best["responses"][i]
        if response.get("delay"):
            time.sleep(response["delay"])
        base = f"http://127.0.0.1:{server.server_port}"
        body = response["raw"].replace(b"{base}", base.encode())
        self.send_response(response.get("status", 200))
        headers = {"Content-Type": "application/json; charset=utf-8"}
        headers.update(response.get("headers", {}))
        for name, value in headers.items():
            value = value.replace("{base}", base)
            for n in (1, 300):  # reset times in Unix seconds, as Bluesky sends them
                value = value.replace("{epoch+%d}" % n, str(int(time.time()) + n))
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        if response.get("truncate"):
            self.send_header("Connection", "close")
            self.end_headers()
            self.wfile.write(body[: len(body) // 2])
            self.wfile.flush()
            self.close_connection = True
            return
        self.end_headers()
        self.wfile.write(body)


class Server(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address):
        pass  # a client that gave up on a slow response is part of the test


def main():
    scenario_path, port_file, log_file = sys.argv[1:4]
    server = Server(("127.0.0.1", 0), Handler)
    server.scenario = load(scenario_path)
    server.lock = threading.Lock()
    server.log = open(log_file, "a", encoding="utf-8")
    tmp = port_file + ".tmp"
    with open(tmp, "w") as f:
        f.write(str(server.server_port))
    os.rename(tmp, port_file)
    server.serve_forever()


if __name__ == "__main__":
    main()
