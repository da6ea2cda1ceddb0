// One rootless Podman node on a home server, joining a lattice of three hubs.
//   npx tlos synth examples/home-node/grid.ts --out dist/home-node
// then, on the home server:
//   bash dist/home-node/lattice/tls/mint-certs.sh        (once, on the machine that holds the CA)
//   bash dist/home-node/lattice/nodes/home-1/quadlet/podman-secrets.sh
//   cp dist/home-node/lattice/nodes/home-1/quadlet/* ~/.config/containers/systemd/
//   systemctl --user daemon-reload && systemctl --user start home-1-pod
import { Grid, Lattice, TlosNode } from "@tlos/grid";

const grid = new Grid("home");

const lattice = new Lattice(grid, "lattice", {
  name: "tlos",
  hubs: [
    { id: "hub-1", host: "hub-1.grid.example.net" },
    { id: "hub-2", host: "hub-2.grid.example.net" },
    { id: "hub-3", host: "hub-3.grid.example.net" },
  ],
});

new TlosNode(lattice, "home-1", {
  target: "podman",
  resources: { cpu: "2", memory: "2Gi" },
  labels: { zone: "home", arch: "amd64" },
});

export default grid;
