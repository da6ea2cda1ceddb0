/** Bad Registry props: each a ValidationError naming the construct path, the field, the value and what is allowed — the exact list. */
import { describe, expect, it } from "vitest";
import { Grid, Lattice, Registry, TlosNode, type RegistryProps } from "../src/index.js";
import { SEED, problemsOf } from "./helpers.js";

function lattice(g: Grid, id = "lattice", hub = "hub-1") {
  return new Lattice(g, id, { name: id, mode: "single", hubs: [{ id: hub, host: `${hub}.grid.example.net` }] });
}
const synth = (g: Grid) => () => g.synth({ masterSeed: SEED });

describe("Registry bad input", () => {
  it("a registry with no host", () => {
    const g = new Grid("g");
    new Registry(lattice(g), "oci", {} as RegistryProps);
    expect(problemsOf(synth(g))).toEqual([
      "[g/lattice/oci] host: is required: name the machine that runs the registry (its bundle is hosts/<host>/), e.g. a hub's id or a node's id",
    ]);
  });

  it("a machine that is not a hub, without the address the others reach it at", () => {
    const g = new Grid("g");
    new Registry(lattice(g), "oci", { host: "box-1" });
    expect(problemsOf(synth(g))).toEqual([
      '[g/lattice/oci] address: is required: machine "box-1" is not a hub of lattice lattice, so the grid does not know the name the other machines reach it at',
    ]);
  });

  it("a storage driver without credentials (s3; r2 takes the keys of the token the Pulumi adapter creates), and bad credentials", () => {
    const g = new Grid("g");
    new Registry(lattice(g, "a", "hub-a"), "oci", { host: "hub-a", storage: { driver: "s3", endpoint: "https://s3.example.net", bucket: "tlos-oci" } as never });
    new Registry(lattice(g, "b", "hub-b"), "oci", { host: "hub-b", storage: { driver: "r2", accountId: "0123456789abcdef0123456789abcdef", bucket: "tlos-oci" } as never });
    new Registry(lattice(g, "c", "hub-c"), "oci", { host: "hub-c", storage: { driver: "r2", accountId: "0123456789abcdef0123456789abcdef", bucket: "tlos-oci", credentials: { accessKeyId: "", secretAccessKey: "s e c r e t" } } });
    expect(problemsOf(synth(g))).toEqual([
      '[g/a/oci] storage.credentials: the s3 driver needs credentials { accessKeyId, secretAccessKey }: the S3 keys of a token scoped to bucket "tlos-oci" (Object Read & Write)',
      '[g/c/oci] storage.credentials.accessKeyId: "" is not an access key id: a non-empty string without spaces',
      "[g/c/oci] storage.credentials.secretAccessKey: is not a secret access key: a non-empty string without spaces (the value is never shown)",
    ]);
  });

  it("two registries on one port of one machine, a registry on a hub's port, and pull = push", () => {
    const g = new Grid("g");
    new Registry(lattice(g, "a", "hub-a"), "oci", { host: "box-1", address: "box-1.grid.example.net" });
    new Registry(lattice(g, "b", "hub-b"), "oci", { host: "box-1", address: "box-1.grid.example.net", ports: { pull: 5001, push: 5002 } });
    new Registry(lattice(g, "c", "hub-c"), "oci", { host: "hub-c", ports: { pull: 7422, push: 7422 } });
    expect(problemsOf(synth(g))).toEqual([
      "[g/b/oci] ports.pull: 5001 on machine box-1 is already registry g/a/oci's push port: give one of them another port",
      "[g/c/oci] ports.pull: 7422 on machine hub-c is already hub hub-c's leafnode port: give one of them another port",
      "[g/c/oci] ports.push: 7422 is also the pull port: the pull and push instances need two ports",
      "[g/c/oci] ports.push: 7422 on machine hub-c is already hub hub-c's leafnode port: give one of them another port",
    ]);
  });

  it("every other bad prop at once, and an unknown one", () => {
    const g = new Grid("g");
    const lat = lattice(g);
    new Registry(lat, "oci", {
      host: "hub-1", address: "not a host", ports: { pull: 0 }, bindIp: "everywhere", gc: { day: "Someday" as never, at: "25:00" }, mirrors: ["docker.io", 7 as never],
      storage: { driver: "s3", endpoint: "http://plain.example.net", bucket: "X", region: "Mars 1", credentials: { accessKeyId: "k", secretAccessKey: "s" }, rootDirectory: "../up" }, image: "registry:latest", colour: "blue",
    } as RegistryProps);
    new Registry(lat, "second", { host: "hub-1", ports: { pull: 6000, push: 6001 } });
    expect(problemsOf(synth(g))).toEqual([
      '[g/lattice/oci] address: "not a host" is not a DNS name or IP address',
      '[g/lattice/oci] bindIp: "everywhere" is not an IPv4 address',
      '[g/lattice/oci] colour: unknown prop "colour"; known here: host, address, ports, bindIp, storage, gc, mirrors, image, publicEndpoint, kubernetes',
      '[g/lattice/oci] gc.at: "25:00" is not a time: use "HH:MM" (UTC)',
      '[g/lattice/oci] gc.day: "Someday" is not a day: use Mon, Tue, Wed, Thu, Fri, Sat, Sun',
      `[g/lattice/oci] image: "registry:latest" uses ':latest', which is refused: pin a version tag and a digest (name:1.2.3@sha256:…)`,
      '[g/lattice/oci] mirrors: ["docker.io",7] must be a list of registry host names, e.g. ["docker.io", "ghcr.io"]',
      "[g/lattice/oci] ports.pull: 0 is not a port: use 1 to 65535",
      '[g/lattice/oci] storage.bucket: "X" is not a bucket name: 3 to 63 lowercase letters, digits, dots and hyphens',
      '[g/lattice/oci] storage.endpoint: "http://plain.example.net" is not an https endpoint URL',
      '[g/lattice/oci] storage.region: "Mars 1" is not a region name',
      '[g/lattice/oci] storage.rootDirectory: "../up" is not an absolute key prefix, e.g. "/registry"',
      "[g/lattice/second] id: lattice lattice already has registry g/lattice/oci: its machines pull through one registry",
    ]);
  });
});

describe("Registry and Akash", () => {
  it("warns that the lattice's Akash leases pull from upstream, not through the registry", () => {
    const g = new Grid("g");
    const lat = lattice(g);
    new TlosNode(lat, "cloud-1", { target: "akash", akash: { pricing: { denom: "uakt", amount: 1000 } } });
    new Registry(lat, "oci", { host: "hub-1" });
    const { problems, warnings } = g.validate();
    expect(problems).toEqual([]);
    expect(warnings.filter((w) => w.path === "g/lattice/oci").map((w) => `${w.field}: ${w.message}`)).toEqual([
      "publicEndpoint: the Akash leases of lattice lattice (cloud-1) pull from the upstream registries, not through this one: set publicEndpoint to pull through it (it then needs the one inbound port the grid allows, on hub-1)",
    ]);
  });
});
