import { describe, expect, it } from "vitest";
import { MAX_VALUES, plainProps } from "../src/core/plain-props.js";

describe("plainProps", () => {
  it("copies an object used twice (a shared link) as plain data, not as a cycle", () => {
    const link = { from: "a", to: "b" };
    const problems: string[] = [];
    const out = plainProps({ links: [link, link] }, (f, m) => problems.push(`${f}: ${m}`));
    expect(problems).toEqual([]);
    expect(out).toEqual({ links: [link, link] });
  });
  it("refuses an object inside itself", () => {
    const a: Record<string, unknown> = { x: 1 };
    a["self"] = a;
    const problems: string[] = [];
    plainProps({ a }, (f, m) => problems.push(`${f}: ${m}`));
    expect(problems).toEqual(["a.self: refers to itself (a cyclic object): props must be plain data"]);
  });
  it("stops a shared-list bomb (3^30 copies) at a total, with one problem", () => {
    let x: unknown = [1];
    for (let i = 0; i < 30; i++) x = [x, x, x];
    const problems: string[] = [];
    plainProps({ a: x }, (f, m) => problems.push(`${f}: ${m}`));
    expect(problems).toEqual([`props: hold more than ${MAX_VALUES} values in all: props describe a grid, not bulk data`]);
  });
});
