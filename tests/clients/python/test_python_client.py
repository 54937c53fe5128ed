"""google-api-python-client 2.202.0, unmodified, against `jobsim serve` (issue #11).

All 12 Cloud Run Admin v1 methods through the bundled (static) run v1 discovery document,
HttpError status and reason, and every answer checked against `jobsim run` of the same steps for
the same seed (same bytes once keys are sorted; R33, D2).

    JOBSIM_BIN=target/debug/jobsim python -m unittest tests/clients/python/test_python_client.py
"""

import copy
import json
import os
import subprocess
import tempfile
import unittest
import urllib.request

from google.auth.credentials import AnonymousCredentials
from googleapiclient.discovery import build
from googleapiclient.errors import HttpError

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "..", ".."))
BIN = os.environ.get("JOBSIM_BIN") or os.path.join(ROOT, "target", "debug", "jobsim")
WORLD = os.path.join(ROOT, "tests", "clients", "world.json")
NS = "namespaces/demo-project"
IMAGE = "us-docker.pkg.dev/demo/etl:1"


def has_serve():
    return subprocess.run([BIN, "serve", "--help"], capture_output=True).returncode == 0


def job_body(name, labels):
    return {
        "apiVersion": "run.googleapis.com/v1",
        "kind": "Job",
        "metadata": {"name": name, "labels": labels},
        "spec": {"template": {"spec": {"taskCount": 3, "template": {"spec": {
            "maxRetries": 1, "containers": [{"image": IMAGE}]}}}}},
    }


def canonical(v):
    return json.dumps(v, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


class Server:
    """`jobsim serve WORLD --clock manual --port 0`, its address read from its one stdout line."""

    def __init__(self):
        self.proc = subprocess.Popen(
            [BIN, "serve", WORLD, "--clock", "manual", "--port", "0"],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        line = self.proc.stdout.readline()
        prefix = "jobsim serve: listening on "
        if not line.startswith(prefix):
            self.proc.kill()
            raise RuntimeError(f"unexpected first line {line!r}: {self.proc.stderr.read()}")
        self.url = line[len(prefix):].strip().replace("localhost", "127.0.0.1")

    def control(self, verb, body):
        req = urllib.request.Request(
            f"{self.url}/jobsim/v1/clock{verb}", data=json.dumps(body).encode(),
            headers={"Content-Type": "application/json"}, method="POST")
        with urllib.request.urlopen(req, timeout=10) as res:
            return res.read()

    def stop(self):
        self.proc.terminate()
        try:
            self.proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        self.proc.stdout.close()
        self.proc.stderr.close()


@unittest.skipUnless(has_serve(), "jobsim serve is not in this build (issue #11's server not merged)")
class PythonClient(unittest.TestCase):
    def setUp(self):
        self.server = Server()
        self.addCleanup(self.server.stop)
        self.svc = build("run", "v1", credentials=AnonymousCredentials(),
                         client_options={"api_endpoint": self.server.url})
        self.steps = []
        self.answers = []

    # Each call is recorded as the equivalent scenario step with the answer the client got.
    def ok(self, step, request):
        self.steps.append(step)
        body = request.execute()
        self.answers.append((200, body))
        return body

    def fails(self, step, status, reason_part, request):
        self.steps.append(step)
        with self.assertRaises(HttpError) as cm:
            request.execute()
        e = cm.exception
        self.assertEqual(e.status_code, status, e)
        body = json.loads(e.content)
        # The client reads the Google error body: its reason is the server's message.
        self.assertEqual(e.reason, body["error"]["message"])
        self.assertIn(reason_part, e.reason)
        self.answers.append((status, body))
        return body

    def tick(self, step, verb, body):
        self.steps.append(step)
        self.answers.append(None)
        self.server.control(verb, body)

    def test_twelve_methods_and_errors_match_jobsim_run(self):
        """R33/D2: the Python client's answers are jobsim's own, byte for byte once sorted."""
        ns = self.svc.namespaces()
        jobs, executions, tasks = ns.jobs(), ns.executions(), ns.tasks()

        j1 = self.ok({"call": "jobs.create", "body": job_body("j1", {"team": "data"})},
                     jobs.create(parent=NS, body=job_body("j1", {"team": "data"})))
        self.assertEqual(j1["metadata"]["name"], "j1")
        self.ok({"call": "jobs.create", "body": job_body("j2", {"team": "ml"})},
                jobs.create(parent=NS, body=job_body("j2", {"team": "ml"})))
        self.fails({"call": "jobs.create", "body": job_body("j1", {})}, 409, "already exists",
                   jobs.create(parent=NS, body=job_body("j1", {})))
        bad = job_body("bad", {})
        bad["spec"]["template"]["spec"]["template"]["spec"]["maxRetries"] = 11
        self.fails({"call": "jobs.create", "body": bad}, 400, "maxRetries", jobs.create(parent=NS, body=bad))

        got = self.ok({"call": "jobs.get", "name": "j1"}, jobs.get(name=f"{NS}/jobs/j1"))
        # Python sends the selector's spaces as '+'.
        sel = self.ok({"call": "jobs.list", "query": {"labelSelector": "team in (data, ml)", "limit": 1}},
                      jobs.list(parent=NS, labelSelector="team in (data, ml)", limit=1))
        self.assertEqual(len(sel["items"]), 1)
        token = sel["metadata"]["continue"]
        sel2 = self.ok({"call": "jobs.list",
                        "query": {"labelSelector": "team in (data, ml)", "limit": 1, "continue": token}},
                       jobs.list(parent=NS, labelSelector="team in (data, ml)", limit=1, **{"continue": token}))
        self.assertEqual(sorted(j["metadata"]["name"] for j in sel["items"] + sel2["items"]), ["j1", "j2"])

        changed = copy.deepcopy(got)  # as gcloud update does: the body just read, one field changed
        changed["spec"]["template"]["spec"]["taskCount"] = 2
        rep = self.ok({"call": "jobs.replaceJob", "name": "j1", "body": changed},
                      jobs.replaceJob(name=f"{NS}/jobs/j1", body=changed))
        self.assertEqual(rep["metadata"]["generation"], 2)

        ex = self.ok({"call": "jobs.run", "name": "j1", "body": {}}, jobs.run(name=f"{NS}/jobs/j1", body={}))
        exn = ex["metadata"]["name"]
        self.assertEqual(ex["spec"]["taskCount"], 2)
        self.tick({"runUntilIdle": True}, ":runUntilIdle", {})
        done = self.ok({"call": "executions.get", "name": exn}, executions.get(name=f"{NS}/executions/{exn}"))
        self.assertEqual(done["status"]["succeededCount"], 2)
        lst = self.ok({"call": "executions.list", "query": {"labelSelector": "run.googleapis.com/job = j1", "limit": 100}},
                      executions.list(parent=NS, labelSelector="run.googleapis.com/job = j1", limit=100))
        self.assertEqual([e["metadata"]["name"] for e in lst["items"]], [exn])
        tl = self.ok({"call": "tasks.list", "query": {"labelSelector": f"run.googleapis.com/execution={exn}"}},
                     tasks.list(parent=NS, labelSelector=f"run.googleapis.com/execution={exn}"))
        self.assertEqual(len(tl["items"]), 2)
        tn = tl["items"][0]["metadata"]["name"]
        t = self.ok({"call": "tasks.get", "name": tn}, tasks.get(name=f"{NS}/tasks/{tn}"))
        self.assertEqual(t["metadata"]["labels"]["run.googleapis.com/runningState"], "Succeeded")

        ex2 = self.ok({"call": "jobs.run", "name": "j1", "body": {}}, jobs.run(name=f"{NS}/jobs/j1", body={}))
        ex2n = ex2["metadata"]["name"]
        self.ok({"call": "executions.cancel", "name": ex2n, "body": {}},
                executions.cancel(name=f"{NS}/executions/{ex2n}", body={}))
        self.tick({"advance": "10m"}, ":advance", {"duration": "10m"})
        self.ok({"call": "executions.delete", "name": ex2n}, executions.delete(name=f"{NS}/executions/{ex2n}"))
        self.tick({"runUntilIdle": True}, ":runUntilIdle", {})
        self.fails({"call": "executions.get", "name": ex2n}, 404, ex2n, executions.get(name=f"{NS}/executions/{ex2n}"))

        self.ok({"call": "jobs.delete", "name": "j2"}, jobs.delete(name=f"{NS}/jobs/j2"))
        self.tick({"runUntilIdle": True}, ":runUntilIdle", {})
        self.fails({"call": "jobs.get", "name": "j2"}, 404, "j2", jobs.get(name=f"{NS}/jobs/j2"))
        self.fails({"call": "tasks.get", "name": "gone-abcde-task-0"}, 404, "gone",
                   tasks.get(name=f"{NS}/tasks/gone-abcde-task-0"))

        # jobsim's own answers for the same steps and seed.
        with tempfile.TemporaryDirectory() as d:
            with open(WORLD) as f:
                world = json.load(f)
            world["steps"] = self.steps
            path = os.path.join(d, "equivalent.json")
            with open(path, "w") as f:
                json.dump(world, f)
            out = subprocess.run([BIN, "run", path, "--format", "json"], check=True, capture_output=True, text=True)
        outcomes = [json.loads(line) for line in out.stdout.splitlines()]
        self.assertEqual(len(outcomes), len(self.steps))
        for i, (answer, outcome) in enumerate(zip(self.answers, outcomes)):
            if answer is None:
                continue
            status, body = answer
            self.assertEqual(status, outcome["status"], f"step {i} {self.steps[i]}")
            self.assertEqual(canonical(body), canonical(outcome["body"]), f"step {i} {self.steps[i]['call']}")


if __name__ == "__main__":
    unittest.main()
