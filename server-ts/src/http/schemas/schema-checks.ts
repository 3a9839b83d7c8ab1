/**
 * Compile-time checks that the API's schemas say what the server's own types say: every field of the IR, a
 * run's record and its events is in the schema (same names, optional alike), and every value the server
 * holds fits its schema. A field added to ir.ts or engine/types.ts without its schema fails the build here.
 */
import type { Static } from 'typebox';
import type { Proposal } from '../../annotate/propose.js';
import type { Diagnostic } from '../../diagnostics/diagnostic.js';
import type { RunEvent, RunRecord, SequencedRunEvent, StepRecord, DisplayArtifact } from '../../engine/types.js';
import type { Parameter, PipelineIR, Step, StepSettings } from '../../ir.js';
import type { ProposalSchema } from './api.js';
import type { DiagnosticSchema, PipelineIRSchema, StepSchema, StepSettingsSchema } from './ir.js';
import type {
  DisplayArtifactSchema,
  RunEventSchema,
  RunRecordSchema,
  SequencedRunEventSchema,
  StepRecordSchema
} from './runs.js';
import type { ExperimentRecord, TrialRecord } from '../../tune/experiment.js';
import type { ExperimentSpec, ParameterSpace } from '../../tune/types.js';
import type { GcReport, SnapshotReference, SnapshotSummary } from '../../snapshots/index.js';
import type {
  ExperimentRecordSchema,
  ExperimentSpecSchema,
  GcReportSchema,
  ParameterSpaceSchema,
  SnapshotListSchema,
  TrialRecordSchema
} from './experiments.js';

type ListedSnapshot = Static<typeof SnapshotListSchema>['snapshots'][number];

/** Same keys, and the same ones optional. */
type SameFields<A, B> = [Exclude<keyof A, keyof B> | Exclude<keyof B, keyof A>] extends [never] ? true : false;
type RequiredKeys<T> = { [K in keyof T]-?: object extends Pick<T, K> ? never : K }[keyof T];
type SameRequired<A, B> = SameFields<Pick<A, RequiredKeys<A>>, Pick<B, RequiredKeys<B>>>;
type Fits<Value, Schema> = Value extends Schema ? true : false;
/** Fails to compile unless its argument is `true`; the argument itself is the check. */
type Check<Passed extends true> = Passed extends true ? never : never;

export type SchemaChecks = [
  Check<SameFields<PipelineIR, Static<typeof PipelineIRSchema>>>,
  Check<SameRequired<PipelineIR, Static<typeof PipelineIRSchema>>>,
  Check<SameFields<Step, Static<typeof StepSchema>>>,
  Check<SameRequired<Step, Static<typeof StepSchema>>>,
  Check<SameFields<StepSettings, Static<typeof StepSettingsSchema>>>,
  Check<SameRequired<StepSettings, Static<typeof StepSettingsSchema>>>,
  Check<SameFields<Parameter, Static<typeof PipelineIRSchema>['parameters'][number]>>,
  Check<SameFields<PipelineIR['settings'], Static<typeof PipelineIRSchema>['settings']>>,
  Check<SameFields<Diagnostic, Static<typeof DiagnosticSchema>>>,
  Check<SameRequired<Diagnostic, Static<typeof DiagnosticSchema>>>,
  Check<Fits<PipelineIR, Static<typeof PipelineIRSchema>>>,
  Check<SameFields<RunRecord, Static<typeof RunRecordSchema>>>,
  Check<SameRequired<RunRecord, Static<typeof RunRecordSchema>>>,
  Check<SameFields<StepRecord, Static<typeof StepRecordSchema>>>,
  Check<SameRequired<StepRecord, Static<typeof StepRecordSchema>>>,
  Check<SameFields<DisplayArtifact, Static<typeof DisplayArtifactSchema>>>,
  Check<SameFields<NonNullable<StepRecord['error']>, NonNullable<Static<typeof StepRecordSchema>['error']>>>,
  Check<Fits<RunRecord, Static<typeof RunRecordSchema>>>,
  Check<Fits<RunEvent, Static<typeof RunEventSchema>>>,
  Check<Fits<SequencedRunEvent, Static<typeof SequencedRunEventSchema>>>,
  Check<SameFields<Proposal, Static<typeof ProposalSchema>>>,
  Check<Fits<Proposal, Static<typeof ProposalSchema>>>,
  Check<SameFields<ExperimentRecord, Static<typeof ExperimentRecordSchema>>>,
  Check<SameRequired<ExperimentRecord, Static<typeof ExperimentRecordSchema>>>,
  Check<SameFields<TrialRecord, Static<typeof TrialRecordSchema>>>,
  Check<SameRequired<TrialRecord, Static<typeof TrialRecordSchema>>>,
  Check<SameFields<ExperimentSpec, Static<typeof ExperimentSpecSchema>>>,
  Check<SameRequired<ExperimentSpec, Static<typeof ExperimentSpecSchema>>>,
  Check<Fits<ParameterSpace, Static<typeof ParameterSpaceSchema>>>,
  Check<Fits<ExperimentRecord, Static<typeof ExperimentRecordSchema>>>,
  Check<SameFields<Omit<ListedSnapshot, 'referencedBy'>, SnapshotSummary>>,
  Check<Fits<SnapshotSummary, Omit<ListedSnapshot, 'referencedBy'>>>,
  Check<SameFields<GcReport, Static<typeof GcReportSchema>>>,
  Check<Fits<GcReport, Static<typeof GcReportSchema>>>,
  Check<SameFields<SnapshotReference, ListedSnapshot['referencedBy'][number]>>,
  Check<Fits<SnapshotReference, ListedSnapshot['referencedBy'][number]>>
];
