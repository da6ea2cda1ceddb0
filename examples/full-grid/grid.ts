// Every construct of a tLOS grid. Later issues add Akash GPU pools, a SpinKube cluster,
// R2 backups, TURN relays and an AI gateway to this file.
//   npx tlos synth examples/full-grid/grid.ts --out dist/full-grid
import { Grid, Lattice, TlosNode } from "@tlos/grid";

const grid = new Grid("tlos");

const lattice = new Lattice(grid, "lattice", {
  name: "tlos",
  jetstreamDomain: "hub",
  wasmcloud: "v2",
  hubs: [
    { id: "hub-1", host: "hub-1.grid.example.net", jetstream: { maxMemory: "2Gi", maxFile: "50Gi" } },
    { id: "hub-2", host: "hub-2.grid.example.net", jetstream: { maxMemory: "2Gi", maxFile: "50Gi" } },
    { id: "hub-3", host: "hub-3.grid.example.net", jetstream: { maxMemory: "2Gi", maxFile: "50Gi" } },
  ],
  // a ceiling per account; every other JWT limit stays unlimited
  limits: { conn: 1000, leaf: 64 },
});

new TlosNode(lattice, "home-1", {
  target: "podman",
  resources: { cpu: "2", memory: "2Gi" },
  labels: { zone: "home", arch: "amd64" },
});

new TlosNode(lattice, "home-2", {
  target: "podman",
  podman: { version: "5.4", userNS: "keep-id" },
  resources: { cpu: "500m", memory: "1Gi" },
  labels: { zone: "home", arch: "arm64" },
});

// a node that serves HTTP components to the LAN: the only published port, asked for explicitly
new TlosNode(lattice, "edge-1", {
  target: "podman",
  podman: { version: "5.3" },
  labels: { zone: "edge" },
  publishPorts: [{ host: 8080, container: 8080, hostIp: "192.0.2.10" }],
});

export default grid;
