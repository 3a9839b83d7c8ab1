import { layoutDag } from '../run/dag-layout';
import { XOR_DEPENDENCIES, XOR_STEPS } from './fixtures';

const xor = XOR_STEPS.map(name => ({ name, dependencies: XOR_DEPENDENCIES[name] }));

describe('layoutDag', () => {
  it('puts every step below the steps it depends on', () => {
    const layout = layoutDag(xor);
    const y = Object.fromEntries(layout.nodes.map(node => [node.name, node.y]));
    for (const step of xor) {
      for (const dependency of step.dependencies) {
        expect(y[step.name]).toBeGreaterThan(y[dependency]);
      }
    }
    expect(layout.edges.map(edge => `${edge.from}->${edge.to}`).sort()).toEqual(
      xor.flatMap(step => step.dependencies.map(dependency => `${dependency}->${step.name}`)).sort()
    );
    expect(layout.edges.every(edge => edge.points.length >= 2)).toBe(true);
  });

  it('places no two steps on top of each other, all inside the drawing', () => {
    const { nodes, width, height } = layoutDag(xor);
    for (const a of nodes) {
      expect(a.x).toBeGreaterThanOrEqual(0);
      expect(a.y).toBeGreaterThanOrEqual(0);
      expect(a.x + a.width).toBeLessThanOrEqual(width);
      expect(a.y + a.height).toBeLessThanOrEqual(height);
      for (const b of nodes) {
        if (a !== b) {
          const apart = a.x + a.width <= b.x || b.x + b.width <= a.x || a.y + a.height <= b.y || b.y + b.height <= a.y;
          expect(apart).toBe(true);
        }
      }
    }
  });

  it('leaves out dependencies on steps it does not draw, and repeated ones', () => {
    const layout = layoutDag([
      { name: 'a', dependencies: [] },
      { name: 'b', dependencies: ['a', 'a', 'gone', 'b'] }
    ]);
    expect(layout.edges.map(edge => [edge.from, edge.to])).toEqual([['a', 'b']]);
    expect(layout.nodes.map(node => node.name)).toEqual(['a', 'b']);
  });
});
