// The benchmark's workload on the built library (dist-lib), as examples/scale/grid.ts: a grid of
// TLOS_NODES rootless Podman nodes (default 100) in one lattice of five hubs.
import { Grid, Lattice, TlosNode } from "../../dist-lib/index.js";

export function scaleGrid(nodes) {
  const grid = new Grid("scale");
  const lattice = new Lattice(grid, "lattice", {
    hubs: [1, 2, 3, 4, 5].map((i) => ({ id: `hub-${i}`, host: `hub-${i}.grid.example.net` })),
  });
  for (let i = 0; i < nodes; i++) {
    new TlosNode(lattice, `node-${i}`, {
      target: "podman",
      podman: { version: i % 2 === 0 ? "5.0" : "5.4" },
      resources: { cpu: `${250 + (i % 4) * 250}m`, memory: `${512 * (1 + (i % 3))}Mi` },
      labels: { zone: `z${i % 7}`, rack: `r${i % 13}` },
    });
  }
  return grid;
}

export default () => scaleGrid(Number(process.env.TLOS_NODES ?? 100));
