// The AWS instance-credential flow as a plug-in (flows.md §1).
import { AWS_NEXT_STEPS } from './next-steps.js';
import type { FlowPlugin } from '../plugin.js';
import { decideAws } from './decide.js';
import { gatherAws } from './gather.js';
import { awsKeyFacts } from './key-facts.js';
import { awsPicture } from './picture.js';
import { awsSimilarity } from './similar.js';
import { awsFactsSchema, type AwsFacts } from './verdict-facts.js';

export const AWS_FLOW = 'aws_instance_credentials';

export const awsFlow: FlowPlugin<typeof AWS_FLOW, 'aws.instance_credential_exfiltration', AwsFacts> = {
  id: AWS_FLOW,
  label: 'AWS stolen instance credentials',
  nextSteps: AWS_NEXT_STEPS,
  alertType: 'aws.instance_credential_exfiltration',
  async investigate(alert, deps) {
    const classifier = await deps.ipClassifier();
    const evidence = await gatherAws(alert, { cloudTrail: deps.evidence.cloudTrail, classifier });
    return decideAws(alert, evidence);
  },
  factsSchema: awsFactsSchema,
  similarity: awsSimilarity,
  keyFacts: awsKeyFacts,
  picture: awsPicture,
};
