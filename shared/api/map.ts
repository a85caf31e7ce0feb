/** API methods of the map document: files, entities, history, layout positions. */
import { z } from 'zod';
import {
  CoverageSchema,
  Id,
  LAYOUTS,
  MapMetaSchema,
  PersonFieldsSchema,
  PositionSchema,
  ProfileSchema,
  RelationFieldsSchema,
  StepId,
  Strength,
  TeamMemberFieldsSchema,
  type Change,
  type MapDocument,
  type Profile,
} from '../domain';
import { edit, query } from './contract';
import { PERSON_FACTS, SourceSchema } from '../evidence';

/** How the editor knows what they set (issue 20): a source id or their own; absent: the fact's previous source. */
const StampSource = { evidenceSource: SourceSchema.nullable().optional() };

export const FilePath = z
  .string()
  .min(1)
  .max(4096)
  .refine((s) => !s.includes('\u0000'), 'a path must not contain NUL');

export interface RecentEntry {
  path: string;
  name: string;
  openedAt: string;
}

export interface AppInfo {
  version: string;
  /** 'electron' for the desktop app, 'web' for the browser build. */
  host: 'electron' | 'web' | 'team';
  /** The OS locale, used to pick the default UI language. */
  locale: string;
  /** Where new maps go by default. */
  documentsDir: string;
  /** A map passed on the command line or by the OS, to open at start. */
  initialMap: string | null;
  /** The UI language the user picked (kept by the main side), or null: follow the OS locale. */
  language: 'en-US' | 'zh-CN' | null;
}

const PositionPoint = z.object({ x: z.number().finite().min(-1e7).max(1e7), y: z.number().finite().min(-1e7).max(1e7) });

export const mapMethods = {
  'app.info': query(z.object({}).strict()).returns<AppInfo>(),
  'recent.list': query(z.object({}).strict()).returns<RecentEntry[]>(),
  /**
   * The UI language the user picked: kept by the main side, the one source for the UI, CSV
   * preview errors, analysis messages and the PDF. Not a map edit.
   */
  'app.setLanguage': query(z.object({ language: z.enum(['en-US', 'zh-CN']) }).strict()).returns<null>(),
  /** Native open dialog; the browser build answers UNSUPPORTED and the UI asks for a path. */
  'host.pickOpenPath': query(z.object({}).strict()).returns<string | null>(),
  'host.pickSavePath': query(
    z.object({ suggestedName: z.string().max(255) }).strict(),
  ).returns<string | null>(),

  'map.create': edit(
    z.object({ path: FilePath, meta: MapMetaSchema.partial().optional() }).strict(),
  ).returns<MapDocument>(),
  'map.open': query(z.object({ path: FilePath }).strict()).returns<MapDocument>(),
  /**
   * Opens (creating it on first use) the sample map, the bank head office tender, in the given
   * language (default: the host's).
   */
  'map.openSample': query(z.object({ lang: z.enum(['en-US', 'zh-CN']).optional() }).strict()).returns<MapDocument>(),
  'map.get': query(z.object({}).strict()).returns<MapDocument>(),
  'map.close': query(z.object({}).strict()).returns<null>(),
  'map.updateMeta': edit(MapMetaSchema.partial().strict()).returns<Change>(),
  /** Ticks a next step off, or opens it again (issue 21): one undoable edit. */
  'steps.tick': edit(z.object({ id: StepId, done: z.boolean() }).strict()).returns<Change>(),

  'person.create': edit(
    PersonFieldsSchema.partial()
      .required({ name: true })
      .extend({ id: Id.optional(), at: PositionPoint.optional(), ...StampSource })
      .strict(),
  ).returns<Change>(),
  'person.update': edit(
    z.object({ id: Id, patch: PersonFieldsSchema.partial().strict(), ...StampSource }).strict(),
  ).returns<Change>(),
  'person.delete': edit(z.object({ id: Id }).strict()).returns<Change>(),
  /** The sensitive personal profile, fetched on demand, never part of map.get. */
  'profile.get': query(z.object({ personId: Id }).strict()).returns<Profile>(),
  'profile.update': edit(
    z.object({ personId: Id, patch: ProfileSchema.partial().strict() }).strict(),
  ).returns<Change>(),

  'relation.create': edit(
    RelationFieldsSchema.partial({ strength: true, note: true }).extend({ id: Id.optional(), ...StampSource }).strict(),
  ).returns<Change>(),
  'relation.update': edit(
    z.object({ id: Id, patch: RelationFieldsSchema.partial().strict(), ...StampSource }).strict(),
  ).returns<Change>(),
  /**
   * "Still true": the facts are verified now by the caller (the signed-in user on a team map),
   * their values untouched; `evidenceSource` replaces their source where given. One undoable step.
   */
  'evidence.confirm': edit(
    z
      .object({
        facts: z
          .array(z.object({ kind: z.enum([...PERSON_FACTS, 'relation']), id: Id }).strict())
          .min(1)
          .max(100_000),
        ...StampSource,
      })
      .strict(),
  ).returns<Change>(),
  'relation.delete': edit(z.object({ id: Id }).strict()).returns<Change>(),

  'team.create': edit(TeamMemberFieldsSchema.partial({ role: true }).extend({ id: Id.optional() }).strict()).returns<Change>(),
  'team.update': edit(z.object({ id: Id, patch: TeamMemberFieldsSchema.partial().strict() }).strict()).returns<Change>(),
  'team.delete': edit(z.object({ id: Id }).strict()).returns<Change>(),
  /** Sets (or with strength null removes) how strongly one of ours covers a client person. */
  'coverage.set': edit(
    CoverageSchema.omit({ strength: true }).extend({ strength: Strength.nullable() }).strict(),
  ).returns<Change>(),

  'history.undo': edit(z.object({}).strict()).returns<Change>(),
  'history.redo': edit(z.object({}).strict()).returns<Change>(),

  /** Stores dragged or computed positions for one layout; not an undoable edit. */
  'positions.set': edit(
    z.object({ layout: z.enum(LAYOUTS), positions: z.array(PositionSchema).max(100_000) }).strict(),
  ).returns<null>(),
  'positions.clear': edit(z.object({ layout: z.enum(LAYOUTS) }).strict()).returns<null>(),
  /**
   * People moved by hand (pinned where dropped): one undoable edit. `from` is where each was when
   * the drag began, so undo can put it back even when the layout had not stored it yet.
   */
  'positions.move': edit(
    z
      .object({
        layout: z.enum(LAYOUTS),
        positions: z
          .array(PositionSchema.extend({ from: PositionSchema.pick({ x: true, y: true }).optional() }))
          .min(1)
          .max(10_000),
      })
      .strict(),
  ).returns<Change>(),
};
