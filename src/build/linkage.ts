/**
 * Where each compile unit ends up: which executables, shared libraries and loadable modules
 * contain its object, directly or through static and object libraries. This is what decides
 * whether a unit must be position-independent code (-fPIC) or may be a PIE object.
 */
import type { BuildConfiguration, BuildTarget, CompileUnit, TargetType } from './build-model.js';

/** A compile unit and the target that compiles it. */
export interface OwnedUnit {
  readonly target: BuildTarget;
  readonly unit: CompileUnit;
}

/** One final link that contains a unit, and the libraries it went through to get there. */
export interface Destination {
  readonly target: BuildTarget;
  /** Static or object libraries between the unit's target and the final link. */
  readonly via: readonly BuildTarget[];
}

export const FINAL_TYPES: ReadonlySet<TargetType> = new Set(['EXECUTABLE', 'SHARED_LIBRARY', 'MODULE_LIBRARY']);

function unitKey(o: OwnedUnit): string {
  return `${o.target.id}\u0000${o.unit.source}\u0000${o.unit.object ?? ''}`;
}

/**
 * For every compile unit of the configuration, the final links it goes into. A unit absent
 * from the map goes into none that the build shows (a static library installed for others).
 */
export function destinations(config: BuildConfiguration): Map<string, { unit: OwnedUnit; into: Destination[] }> {
  const targets = config.targets;
  const byObject = new Map<string, OwnedUnit>();
  for (const t of targets) for (const u of t.units) if (u.object !== undefined) byObject.set(u.object, { target: t, unit: u });

  /** The units a target's own artifact is made of, with the libraries they came through. */
  const contents = (t: BuildTarget): { unit: OwnedUnit; via: BuildTarget[] }[] => {
    const out = t.units.map((unit) => ({ unit: { target: t, unit }, via: [] as BuildTarget[] }));
    const inputs = new Set(t.objectInputs);
    for (const o of targets) {
      if (o.type !== 'OBJECT_LIBRARY' || o === t) continue;
      if (o.artifacts.some((a) => inputs.has(a))) {
        for (const unit of o.units) out.push({ unit: { target: o, unit }, via: [o] });
      }
    }
    // Compilation databases name foreign objects one by one.
    for (const object of t.objectInputs) {
      const owned = byObject.get(object);
      if (owned !== undefined && owned.target !== t && owned.target.type !== 'OBJECT_LIBRARY') {
        out.push({ unit: owned, via: [owned.target] });
      }
    }
    return out;
  };

  const result = new Map<string, { unit: OwnedUnit; into: Destination[] }>();
  const add = (unit: OwnedUnit, dest: Destination): void => {
    const key = unitKey(unit);
    const entry = result.get(key) ?? { unit, into: [] };
    entry.into.push(dest);
    result.set(key, entry);
  };
  for (const final of targets) {
    if (!FINAL_TYPES.has(final.type) || final.link === undefined) continue;
    for (const c of contents(final)) add(c.unit, { target: final, via: c.via });
    const linkInputs = new Set(final.link.inputs);
    for (const lib of targets) {
      if (lib.type !== 'STATIC_LIBRARY' || !lib.artifacts.some((a) => linkInputs.has(a))) continue;
      for (const c of contents(lib)) add(c.unit, { target: final, via: [lib, ...c.via] });
    }
  }
  return result;
}

export function keyOf(target: BuildTarget, unit: CompileUnit): string {
  return unitKey({ target, unit });
}
