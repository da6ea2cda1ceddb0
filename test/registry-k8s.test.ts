/**
 * A Registry placed in a SpinKubeCluster, and the pull Secrets of every cluster of the lattice:
 * the objects pass the repo's Kubernetes schema checks (kubernetes-models and the vendored CRDs,
 * as every other cluster document); they go through the cluster's apply order (namespace, then
 * the Secrets, then the registry, before the Spin apps); the pull instance mounts the storage
 * read-only; the NetworkPolicies admit the cluster's pods and the named CIDRs to pull and only
 * the pipelines' CIDRs to push; every pod the cluster writes pulls with a
 * `kubernetes.io/dockerconfigjson` Secret holding the cluster's own pull identity and nothing
 * else. (That identity being refused a push by the real registry is in test/registry.test.ts.)
 * No Kubernetes API server runs here: the documents are checked by schema, not applied.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parseAllDocuments, parse } from "yaml";
import { describe, expect, it } from "vitest";
import { Registry, writeOutput, type Grid, type RegistryProps } from "../src/index.js";
import { runValidators } from "../src/validate/run.js";
import { clusterGrid } from "./fixtures/spinkube.js";
import { problemsOf, SEED, tempDir } from "./helpers.js";

type Doc = { kind: string; metadata: { name: string; namespace?: string }; spec?: Record<string, unknown>; type?: string; stringData?: Record<string, string>; data?: Record<string, string> };
const docs = (text: string): Doc[] => parseAllDocuments(text).map((d) => d.toJS() as Doc);

function grid(props: Partial<RegistryProps> = {}): Grid {
  const g = clusterGrid();
  new Registry(g.node.findChild("lattice") as never, "oci", { host: "k8s", address: "oci.k8s.example.net", kubernetes: { pullFrom: ["10.0.0.0/16"], pushFrom: ["192.0.2.0/24"] }, ...props } as RegistryProps);
  return g;
}

describe("Registry in a SpinKubeCluster", () => {
  const out = tempDir("tlos-registry-k8s-");
  const r = grid().synth({ masterSeed: SEED });
  writeOutput(r, out);
  const file = (p: string) => readFileSync(join(out, p), "utf8");
  const k8s = "lattice/k8s/k8s";
  const reg = docs(file(`${k8s}/04b-registry-oci.yaml`));
  const find = (kind: string, name: string) => reg.find((d) => d.kind === kind && d.metadata.name === name)!;
  const pod = (kind: string, name: string) => {
    const d = find(kind, name);
    const spec = d.spec as { template?: { spec: Record<string, unknown> }; jobTemplate?: { spec: { template: { spec: Record<string, unknown> } } } };
    return (spec.template ?? spec.jobTemplate!.spec.template).spec as { containers: { args: string[]; volumeMounts: { name: string; mountPath: string; readOnly?: boolean }[] }[]; volumes: { name: string; persistentVolumeClaim?: { readOnly: boolean } }[]; affinity?: unknown; automountServiceAccountToken: boolean };
  };

  it("passes the repo's Kubernetes schema checks (kubernetes-models, CRDs) with every other document", async () => {
    const v = await runValidators(out, { requireAll: process.env["CI"] === "true" });
    expect(v.ok, v.lines.join("\n")).toBe(true);
    expect(v.lines.join("\n")).toMatch(/kubernetes schemas: ok {3}\d+ object\(s\) in 12 file\(s\)/);
    expect(v.lines.join("\n")).not.toContain("UNCHECKED");
  }, 120_000);

  it("goes through the cluster's apply order: its namespace, its Secrets, the registry, then the Spin apps", () => {
    const sh = file(`${k8s}/02-install.sh`).split("\n");
    const at = (s: string) => sh.findIndex((l) => l.includes(s));
    expect(at("00-namespaces-registry-oci.yaml")).toBeGreaterThan(-1);
    expect(at("00-namespaces-registry-oci.yaml")).toBeLessThan(at("04b-registry-oci-secrets.yaml"));
    expect(at("04b-registry-oci-secrets.yaml")).toBeLessThan(at('"$here/04b-registry-oci.yaml"'));
    expect(at('"$here/04b-registry-oci.yaml"')).toBeLessThan(at("05-spin-apps.yaml"));
    const ns = docs(file(`${k8s}/00-namespaces-registry-oci.yaml`))[0]! as Doc & { metadata: { labels: Record<string, string> } };
    expect(ns.metadata.name).toBe("tlos-registry");
    // not under the admission policy (distribution's image is not signed with the grid's keys); the apps' namespaces are
    expect(Object.keys(ns.metadata.labels)).toEqual(["app.kubernetes.io/managed-by"]);
    expect(JSON.stringify(docs(file(`${k8s}/00-namespaces.yaml`)))).toContain("policy.sigstore.dev/include");
  });

  it("runs pull read-only and push on one claim, GC weekly, neither with a service account token", () => {
    expect(reg.filter((d) => d.metadata.namespace === "tlos-registry").map((d) => `${d.kind}/${d.metadata.name}`)).toEqual([
      "ConfigMap/tlos-registry-oci-config", "PersistentVolumeClaim/tlos-registry-oci-data", "Deployment/tlos-registry-oci-pull", "Deployment/tlos-registry-oci-push",
      "Service/tlos-registry-oci-pull", "Service/tlos-registry-oci-push", "NetworkPolicy/tlos-registry-oci-pull", "NetworkPolicy/tlos-registry-oci-push", "CronJob/tlos-registry-oci-gc",
    ]);
    const pull = pod("Deployment", "tlos-registry-oci-pull");
    const push = pod("Deployment", "tlos-registry-oci-push");
    const gc = pod("CronJob", "tlos-registry-oci-gc");
    expect(pull.containers[0]!.volumeMounts.find((m) => m.name === "data")!.readOnly).toBe(true);
    expect(pull.volumes.find((v) => v.name === "data")!.persistentVolumeClaim!.readOnly).toBe(true);
    expect(push.containers[0]!.volumeMounts.find((m) => m.name === "data")!.readOnly).toBe(false);
    expect(gc.containers[0]!.args).toEqual(["garbage-collect", "/etc/docker/registry/config.yml"]);
    // push and GC share the pull pod's node (one ReadWriteOnce claim)
    expect(JSON.stringify(push.affinity)).toContain("kubernetes.io/hostname");
    for (const p of [pull, push, gc]) expect(p.automountServiceAccountToken).toBe(false);
    expect((find("CronJob", "tlos-registry-oci-gc").spec as { schedule: string }).schedule).toBe("30 4 * * 0");
    const cfg = parse(find("ConfigMap", "tlos-registry-oci-config").data!["pull.yml"]!) as { storage: { maintenance: { readonly: { enabled: boolean } } }; auth: { htpasswd: { path: string } } };
    expect(cfg.storage.maintenance.readonly.enabled).toBe(true);
    // the push instance mounts only the push htpasswd, the pull instance only the pull one
    expect(pod("Deployment", "tlos-registry-oci-pull").containers[0]!.volumeMounts.find((m) => m.name === "htpasswd")).toMatchObject({ mountPath: cfg.auth.htpasswd.path });
    expect(JSON.stringify(find("Deployment", "tlos-registry-oci-pull"))).toContain('"subPath":"pull"');
    expect(JSON.stringify(find("Deployment", "tlos-registry-oci-push"))).toContain('"subPath":"push"');
  });

  it("admits the cluster's pods and the named CIDRs to pull, only the pipelines' CIDRs to push", () => {
    const np = (n: string) => (find("NetworkPolicy", n).spec as { ingress: { from: unknown[]; ports: { port: number }[] }[] }).ingress;
    expect(np("tlos-registry-oci-pull")).toEqual([{ from: [{ namespaceSelector: {} }, { ipBlock: { cidr: "10.0.0.0/16" } }], ports: [{ protocol: "TCP", port: 5000 }] }]);
    expect(np("tlos-registry-oci-push")).toEqual([{ from: [{ ipBlock: { cidr: "192.0.2.0/24" } }], ports: [{ protocol: "TCP", port: 5001 }] }]);
    const bare = grid({ kubernetes: {} }).synth({ masterSeed: SEED });
    expect(JSON.stringify(bare.warnings)).toContain("only the cluster's pods and the registry pod's own node reach the pull port");
    const none = docs(bare.files.find((f) => f.path === `${k8s}/04b-registry-oci.yaml`)!.content);
    expect((none.find((d) => d.kind === "NetworkPolicy" && d.metadata.name === "tlos-registry-oci-push")!.spec as { ingress: unknown[] }).ingress).toEqual([]);
  });

  it("every pod the cluster writes pulls with a dockerconfigjson Secret holding the cluster's pull identity only", () => {
    const secrets = docs(file(`secrets/${k8s}/04b-registry-oci-secrets.yaml`));
    const pulls = secrets.filter((d) => d.type === "kubernetes.io/dockerconfigjson");
    expect(pulls.map((d) => `${d.metadata.namespace}/${d.metadata.name}`)).toEqual(["api/tlos-registry-oci-pull", "apps/tlos-registry-oci-pull", "wasmcloud/tlos-registry-oci-pull"]);
    const pushPw = file("secrets/lattice/registry/oci/push.password").trim();
    for (const d of pulls) {
      const cfg = JSON.parse(d.stringData![".dockerconfigjson"]!) as { auths: Record<string, { username: string; password: string; auth: string }> };
      expect(Object.keys(cfg.auths)).toEqual(["oci.k8s.example.net:5000"]);
      expect(cfg.auths["oci.k8s.example.net:5000"]!.username).toBe("host-k8s");
      expect(cfg.auths["oci.k8s.example.net:5000"]!.password).not.toBe(pushPw);
    }
    // the push password is in no Kubernetes file; the push htpasswd only in the registry's own namespace
    for (const f of r.files.filter((x) => x.path.includes("/k8s/"))) expect(f.content.includes(pushPw), f.path).toBe(false);
    expect(secrets.filter((d) => JSON.stringify(d).includes("ci:$2b$")).map((d) => `${d.metadata.namespace}/${d.metadata.name}`)).toEqual(["tlos-registry/tlos-registry-oci-htpasswd"]);
    // referenced by the Spin apps, the leaf, the chart's pods and its host groups (which also trust the CA)
    for (const app of docs(file(`${k8s}/05-spin-apps.yaml`)).filter((d) => d.kind === "SpinApp")) expect(JSON.stringify(app.spec), app.metadata.name).toContain('{"name":"tlos-registry-oci-pull"}');
    const leaf = docs(file(`${k8s}/06-wasmcloud.yaml`)).find((d) => d.kind === "Deployment")!;
    expect(JSON.stringify(leaf.spec)).toContain('"imagePullSecrets":[{"name":"tlos-registry-oci-pull"}]');
    const values = parse(file(`${k8s}/wasmcloud-values.yaml`)) as { global: { image: { pullSecrets: unknown[] } }; runtime: { hostGroups: Record<string, unknown>[] } };
    expect(values.global.image.pullSecrets).toEqual([{ name: "tlos-registry-oci-pull" }]);
    expect(values.runtime.hostGroups[0]).toMatchObject({ ociCaPaths: ["/etc/tlos/registry-ca/ca.crt"], env: [{ name: "DOCKER_CONFIG", value: "/etc/tlos/registry-docker" }] });
    const ca = docs(file(`${k8s}/04b-registry.yaml`)).find((d) => d.kind === "ConfigMap" && d.metadata.name === "tlos-registry-oci-ca" && d.metadata.namespace === "wasmcloud")!;
    expect(ca.data!["ca.crt"]).toBe(file("lattice/tls/ca.pem"));
    // the nodes' containerd trusts the lattice CA for the pull endpoint only
    expect(file(`${k8s}/node-setup/certs.d/oci.k8s.example.net:5000/hosts.toml`)).toContain('capabilities = ["pull", "resolve"]');
    expect(file(`${k8s}/node-setup/certs.d/oci.k8s.example.net:5000/ca.crt`)).toBe(file("lattice/tls/ca.pem"));
  });

  it("a registry on a machine still gives the lattice's cluster its pull Secret, CA and node setup, and no registry objects", () => {
    const g = clusterGrid();
    new Registry(g.node.findChild("lattice") as never, "oci", { host: "hub-1" });
    const s = g.synth({ masterSeed: SEED });
    expect(s.files.some((f) => f.path === `${k8s}/04b-registry-oci.yaml`)).toBe(false);
    expect(docs(s.files.find((f) => f.path === `${k8s}/04b-registry.yaml`)!.content).map((x) => `${x.kind}/${x.metadata.namespace}/${x.metadata.name}`)).toEqual(["ConfigMap/wasmcloud/tlos-registry-oci-ca"]);
    expect(s.files.find((f) => f.path === `${k8s}/02-install.sh`)!.content).toContain("secrets/lattice/k8s/k8s/04b-registry-oci-secrets.yaml");
    expect(s.files.some((f) => f.path === `${k8s}/node-setup/certs.d/hub-1.example.net:5000/hosts.toml`)).toBe(true);
    expect(s.files.some((f) => f.path.startsWith("hosts/hub-1/") && f.path.includes("registry-pull.htpasswd"))).toBe(true);
    const sec = docs(s.files.find((f) => f.path === `secrets/${k8s}/04b-registry-oci-secrets.yaml`)!.content);
    expect(sec.map((x) => x.type)).toEqual(["kubernetes.io/dockerconfigjson", "kubernetes.io/dockerconfigjson", "kubernetes.io/dockerconfigjson"]);
  });

  it("bad input: kubernetes props on a machine's registry, bad CIDRs, size, Service type, bindIp in a cluster", () => {
    const g = clusterGrid();
    const lat = g.node.findChild("lattice") as never;
    new Registry(lat, "oci", { host: "k8s", address: "oci.k8s.example.net", bindIp: "127.0.0.1", kubernetes: { pullFrom: ["everywhere"], pushFrom: "10.0.0.0/8" as never, storageSize: "lots", serviceType: "Public" as never, namespace: "Bad_NS" } });
    expect(problemsOf(() => g.synth({ masterSeed: SEED }))).toEqual([
      '[kube/lattice/oci] bindIp: applies to a registry on a machine: in cluster k8s the Services publish the ports (kubernetes.serviceType)',
      expect.stringMatching(/^\[kube\/lattice\/oci\] kubernetes\.namespace: "Bad_NS": /),
      '[kube/lattice/oci] kubernetes.pullFrom: ["everywhere"] is not a list of CIDRs, e.g. ["10.0.0.0/16"]',
      '[kube/lattice/oci] kubernetes.pushFrom: "10.0.0.0/8" is not a list of CIDRs, e.g. ["10.0.0.0/16"]',
      '[kube/lattice/oci] kubernetes.serviceType: "Public" is not a Service type: use LoadBalancer, NodePort, ClusterIP',
      '[kube/lattice/oci] kubernetes.storageSize: "lots" is not a size: use e.g. "20Gi"',
    ]);
    const h = clusterGrid();
    new Registry(h.node.findChild("lattice") as never, "oci", { host: "hub-1", kubernetes: {} });
    expect(problemsOf(() => h.synth({ masterSeed: SEED }))).toEqual(['[kube/lattice/oci] kubernetes: applies to a registry in a cluster: "hub-1" is not a SpinKubeCluster of lattice lattice']);
    const a = clusterGrid();
    new Registry(a.node.findChild("lattice") as never, "oci", { host: "k8s" });
    expect(problemsOf(() => a.synth({ masterSeed: SEED }))).toEqual([expect.stringMatching(/^\[kube\/lattice\/oci\] address: is required: name the DNS name or IP address that leads to the registry's Services in cluster k8s/)]);
  });
});
