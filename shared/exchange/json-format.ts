/**
 * The versioned JSON form of a whole map (export, import, the bundled sample). Documented in
 * docs/JSON-FORMAT.md. Version 1; readers refuse a newer version with a clear message.
 */
import { z } from 'zod';
import {
  CoverageSchema,
  LAYOUTS,
  MapMetaSchema,
  PersonSchema,
  PositionSchema,
  ProfileSchema,
  RelationSchema,
  TeamMemberSchema,
} from '../domain';

export const JSON_FORMAT = 'powermap-map';
export const JSON_VERSION = 1;

export const MapJsonSchema = z
  .object({
    format: z.literal(JSON_FORMAT),
    version: z.literal(JSON_VERSION),
    exportedAt: z.string().optional(),
    meta: MapMetaSchema,
    people: z.array(PersonSchema).max(200_000),
    relations: z.array(RelationSchema).max(1_000_000),
    team: z.array(TeamMemberSchema).max(10_000),
    coverage: z.array(CoverageSchema).max(1_000_000),
    /** Personal profiles by person id: present only when exported with personal details. */
    profiles: z.record(z.string(), ProfileSchema.partial()).optional(),
    positions: z.partialRecord(z.enum(LAYOUTS), z.array(PositionSchema)).optional(),
  })
  .strict();
export type MapJson = z.infer<typeof MapJsonSchema>;
