// The one-node example on the built library, as TypeScript: what `tlos synth grid.ts` costs a user.
import { Grid, Lattice, TlosNode } from "../../dist-lib/index.js";

const grid: Grid = new Grid("home");
const lattice = new Lattice(grid, "lattice", {
  name: "tlos",
  hubs: [
    { id: "hub-1", host: "hub-1.grid.example.net" },
    { id: "hub-2", host: "hub-2.grid.example.net" },
    { id: "hub-3", host: "hub-3.grid.example.net" },
  ],
});
new TlosNode(lattice, "home-1", { target: "podman", resources: { cpu: "2", memory: "2Gi" }, labels: { zone: "home", arch: "amd64" } });

export default grid;
