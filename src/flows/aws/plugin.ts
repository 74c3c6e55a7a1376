// The AWS instance-credential flow as a plug-in (flows.md §1).
import { AWS_NEXT_STEPS } from './next-steps.js';
import type { FlowPlugin } from '../plugin.js';
import { AWS_RECOGNISERS } from './recognisers.js';
import { planAwsContainment } from './containment.js';
import { decideAws } from './decide.js';
import { gatherAws } from './gather.js';
import { awsKeyFacts } from './key-facts.js';
import { awsPicture } from './picture.js';
import { awsSimilarity } from './similar.js';
import { stepQuery, withStepQuery } from '../step-query.js';
import { awsFactsSchema, type AwsFacts } from './verdict-facts.js';

export const AWS_FLOW = 'aws_instance_credentials';

export const awsFlow: FlowPlugin<typeof AWS_FLOW, 'aws.instance_credential_exfiltration', AwsFacts> = {
  id: AWS_FLOW,
  label: 'AWS stolen instance credentials',
  nextSteps: AWS_NEXT_STEPS,
  alertType: 'aws.instance_credential_exfiltration',
  recognisers: AWS_RECOGNISERS,
  containment: planAwsContainment,
  async investigate(alert, deps) {
    const classifier = await deps.ipClassifier();
    const evidence = await gatherAws(alert, { cloudTrail: deps.evidence.cloudTrail, classifier });
    // Every step reads the key's CloudTrail activity in the window.
    const query = stepQuery('cloudtrail', [{ field: 'aws.cloudtrail.user_identity.access_key_id', values: [alert.accessKeyId] }], evidence.window);
    return withStepQuery(decideAws(alert, evidence), query);
  },
  factsSchema: awsFactsSchema,
  similarity: awsSimilarity,
  keyFacts: awsKeyFacts,
  picture: awsPicture,
};
