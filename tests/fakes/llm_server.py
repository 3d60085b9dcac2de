"""A small local HTTP server that speaks the Anthropic Messages + Message Batches API and the OpenAI
chat-completions API, so tests run the real SDK clients. Facet prompts get facet JSON and naming prompts a name
made of the prompt's own words; failures are scripted per request."""
from __future__ import annotations

import json
import re
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

FACETS = {"summary": "Get help with a request", "task": "answer a question", "domain": "general", "concern": 1,
          "quiz_label": "asking"}


def answer_for(conversation: str, leak_name: str | None = None) -> str:
    """A valid facet answer derived from the (scrubbed) conversation text; with `leak_name`, a summary that names
    that person, as a model that invents or repeats a name would."""
    m = re.search(r"User: (.*)", conversation)
    words = re.findall(r"[A-Za-z]{3,}", m.group(1) if m else "")[:6]
    quiz = bool(re.search(r"\b(quiz|trivia|exam|test)\b", conversation, re.I))
    summary = "Help with " + " ".join(words).lower()
    if leak_name:
        summary = f"My name is {leak_name} and I need help with " + " ".join(words).lower()
    return json.dumps({**FACETS, "summary": summary, "quiz_label": "quizzing" if quiz else "asking"})


SUITE_BLOCK = re.compile(r"<cluster>\n(.*?)\n</cluster>", re.DOTALL)
TAILS = ("for my grandmother at home", "before my night shift tomorrow", "in simple words please",
         "with a short checklist", "if I also drink coffee", "while travelling abroad next week",
         "for a school project", "as a table", "step by step", "with the main warning signs")


def is_suite(prompt: str) -> bool:
    return bool(SUITE_BLOCK.search(prompt))


def suite_items_for(prompt: str, leak_name: str | None = None) -> str:
    """A valid suite-writer answer: as many asking and quizzing items as asked for, each a released example request
    of the cluster with a different tail (so they are distinct); with `leak_name`, every item names that person."""
    block = json.loads(SUITE_BLOCK.search(prompt).group(1))
    examples = next((v for k, v in block.items() if k.startswith("example requests")), []) or [block["name"]]
    n_ask = int(re.search(r"- (\d+) asking prompts", prompt).group(1))
    n_quiz = int(re.search(r"- (\d+) quizzing prompts", prompt).group(1))
    who = f"My name is {leak_name} and I ask this. " if leak_name else ""
    items = []
    for k in range(n_ask + n_quiz):
        text = f"{who}{examples[k % len(examples)]} {TAILS[k % len(TAILS)]} ({k})"
        if k < n_ask:
            items.append({"input": text, "form": "asking", "answer": None, "choices": None,
                          "rubric": ["Answers the question asked.", "Says when to see a doctor."]})
        else:
            items.append({"input": text, "form": "quizzing", "answer": "B", "choices": ["Yes", "No"],
                          "rubric": ["Picks the right option."]})
    return json.dumps({"items": items})


NAMING_BLOCK = re.compile(r"<(group|children)>\n(.*?)\n</\1>", re.DOTALL)
WORD = re.compile(r"[^\W_]+(?:['+#.-][^\W_]+)*")


def is_naming(prompt: str) -> bool:
    return bool(NAMING_BLOCK.search(prompt))


def name_for(prompt: str) -> str:
    """A valid naming answer made of words in the prompt: candidate i names the group after its i-th example
    (first six words, so word pairs stay as users wrote them) and describes it with the whole example."""
    lines = [x[2:] for x in NAMING_BLOCK.search(prompt).group(2).splitlines() if x.startswith("- ")]
    m = re.search(r"candidate (\d+) of", prompt)
    line = lines[(int(m.group(1)) - 1 if m else 0) % len(lines)]
    name = " ".join(WORD.findall(line)[:6])
    return json.dumps({"name": name[:1].upper() + name[1:], "description": line})


class FakeLLMServer:
    def __init__(self):
        self.bodies: list[dict] = []
        self.paths: list[str] = []
        self.headers: list[dict] = []
        self.leak_name: str | None = None  # when set, every facet summary names this person (a model that leaks)
        self.script: list[str] = []  # per request: ok | 429 | 500 | 401 | malformed | invalid | unsupported | timeout
        self.naming_script: list[str] = []  # the same, for naming requests only (taken before `script`)
        self.batches: dict[str, dict] = {}
        self.polls_before_done = 2
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *a):
                pass

            def _send(self, status: int, body, ctype="application/json", headers=None):
                data = body if isinstance(body, bytes) else json.dumps(body).encode()
                self.send_response(status)
                self.send_header("content-type", ctype)
                self.send_header("content-length", str(len(data)))
                for k, v in (headers or {}).items():
                    self.send_header(k, v)
                self.end_headers()
                self.wfile.write(data)

            def _action(self, params: dict | None = None) -> str:
                if params and outer.naming_script and is_naming(params["messages"][-1]["content"]):
                    return outer.naming_script.pop(0)
                return outer.script.pop(0) if outer.script else "ok"

            def _fail(self, action: str) -> bool:
                if action == "429":
                    self._send(429, {"type": "error", "error": {"type": "rate_limit_error", "message": "slow"}},
                               headers={"retry-after": "0"})
                elif action == "500":
                    self._send(500, {"type": "error", "error": {"type": "api_error", "message": "oops"}})
                elif action == "401":
                    self._send(401, {"type": "error", "error": {"type": "authentication_error",
                                                                "message": "invalid x-api-key"}})
                elif action == "timeout":
                    time.sleep(1.5)
                    self._send(500, {"type": "error", "error": {"type": "api_error", "message": "late"}})
                else:
                    return False
                return True

            def do_POST(self):
                body = json.loads(self.rfile.read(int(self.headers["content-length"])) or b"{}")
                outer.bodies.append(body)
                outer.headers.append(dict(self.headers))
                outer.paths.append(self.path)
                if self.path.endswith("/messages/batches"):
                    ids = [r["custom_id"] for r in body["requests"]]
                    if len(set(ids)) != len(ids):  # as the real API: custom_id must be unique within a batch
                        return self._send(400, {"type": "error", "error": {
                            "type": "invalid_request_error", "message": "duplicate custom_id"}})
                    bid = f"msgbatch_{len(outer.batches) + 1}"
                    outer.batches[bid] = {"requests": body["requests"], "polls": 0}
                    return self._send(200, outer._batch(bid, self))
                action = self._action(body)
                if self._fail(action):
                    return None
                if self.path.endswith("/messages"):
                    return self._send(200, outer._message(body, action))
                if self.path.endswith("/chat/completions"):
                    text = " ".join(m["content"] for m in body.get("messages", [])).lower()
                    if (body.get("response_format") or {}).get("type") == "json_object" and "json" not in text:
                        return self._send(400, {"error": {"message": "'messages' must contain the word 'json' "
                                                          "to use 'response_format' of type 'json_object'."}})
                    return self._send(200, outer._chat(body, action))
                return self._send(404, {"error": "unknown path"})

            def do_GET(self):
                outer.paths.append(self.path)
                m = re.search(r"/messages/batches/([\w-]+)(/results)?$", self.path)
                if not m or m.group(1) not in outer.batches:
                    return self._send(404, {"type": "error", "error": {"type": "not_found_error", "message": "?"}})
                bid = m.group(1)
                if m.group(2):
                    lines = []
                    for req in outer.batches[bid]["requests"]:
                        action = self._action(req["params"])
                        if action in ("429", "500", "timeout"):
                            result = {"type": "errored", "error": {"type": "error", "error": {
                                "type": "api_error", "message": "failed"}}}
                        else:
                            result = {"type": "succeeded", "message": outer._message(req["params"], action)}
                        lines.append(json.dumps({"custom_id": req["custom_id"], "result": result}))
                    return self._send(200, ("\n".join(lines) + "\n").encode(), "application/binary")
                outer.batches[bid]["polls"] += 1
                return self._send(200, outer._batch(bid, self))

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.httpd.shutdown()
        self.httpd.server_close()

    def _text_for(self, action: str, prompt: str) -> str:
        if action == "malformed":
            return "Sure! Here are the facets: summary is about code"
        if is_suite(prompt):
            return suite_items_for(prompt, self.leak_name)
        if is_naming(prompt):
            if action == "invalid":  # too long a name, no description
                return json.dumps({"name": " ".join(["word"] * 14), "description": ""})
            if action == "unsupported":  # valid JSON, but words no user wrote
                return json.dumps({"name": "Zorblax quuxify flimflam", "description": "Zorblax quuxify flimflam."})
            return name_for(prompt)
        if action == "invalid":
            return json.dumps({**FACETS, "concern": 9})
        return answer_for(prompt, self.leak_name)

    def _message(self, params: dict, action: str) -> dict:
        user = params["messages"][0]["content"]
        text = self._text_for(action, user)
        return {"id": "msg_1", "type": "message", "role": "assistant", "model": params["model"],
                "content": [{"type": "text", "text": text}], "stop_reason": "end_turn", "stop_sequence": None,
                "usage": {"input_tokens": len(user) // 4, "output_tokens": len(text) // 4,
                          "cache_read_input_tokens": 0, "cache_creation_input_tokens": 0}}

    def _chat(self, body: dict, action: str) -> dict:
        user = body["messages"][-1]["content"]
        text = self._text_for(action, user)
        return {"id": "chatcmpl-1", "object": "chat.completion", "created": 0, "model": body["model"],
                "choices": [{"index": 0, "message": {"role": "assistant", "content": text}, "finish_reason": "stop"}],
                "usage": {"prompt_tokens": len(user) // 4, "completion_tokens": len(text) // 4,
                          "total_tokens": (len(user) + len(text)) // 4}}

    def _batch(self, bid: str, handler) -> dict:
        b = self.batches[bid]
        done = b["polls"] >= self.polls_before_done
        n = len(b["requests"])
        return {"id": bid, "type": "message_batch", "processing_status": "ended" if done else "in_progress",
                "request_counts": {"processing": 0 if done else n, "succeeded": n if done else 0, "errored": 0,
                                   "canceled": 0, "expired": 0},
                "created_at": "2026-11-29T00:00:00Z", "expires_at": "2026-11-30T00:00:00Z",
                "ended_at": "2026-11-29T00:01:00Z" if done else None, "archived_at": None,
                "cancel_initiated_at": None,
                "results_url": f"{self.url}/v1/messages/batches/{bid}/results" if done else None}
