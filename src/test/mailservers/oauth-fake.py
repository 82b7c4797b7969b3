#!/usr/bin/env python3
"""Fake RFC 7662 token-introspection endpoint for Dovecot `passdb oauth2` on 127.0.0.1:<port> (argv[1]).
Accepted tokens: '<name>-token' for alice, bob, carol and dave (-> <name>@example.test); anything else is inactive."""
import json, sys, urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
TOKENS = {f'{n}-token': f'{n}@example.test' for n in ('alice', 'bob', 'carol', 'dave')}
class H(BaseHTTPRequestHandler):
    def _reply(self, token):
        email = TOKENS.get(token)
        body = json.dumps({'active': True, 'email': email} if email else {'active': False}).encode()
        self.send_response(200); self.send_header('Content-Type', 'application/json')
        self.send_header('Content-Length', str(len(body))); self.end_headers(); self.wfile.write(body)
    def do_POST(self):   # introspection_mode = post : body "token=..."
        n = int(self.headers.get('Content-Length', 0)); q = urllib.parse.parse_qs(self.rfile.read(n).decode())
        self._reply(q.get('token', [''])[0])
    def do_GET(self):    # introspection_mode = auth : "Authorization: Bearer ..."; also a liveness probe
        self._reply(self.headers.get('Authorization', '').removeprefix('Bearer '))
    def log_message(self, fmt, *a): sys.stderr.write('oauth-fake: ' + fmt % a + '\n')
ThreadingHTTPServer(('127.0.0.1', int(sys.argv[1])), H).serve_forever()
