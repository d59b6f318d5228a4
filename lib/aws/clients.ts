// The AWS SDK clients, configured only the standard way: AWS_REGION, the
// credential chain, and AWS_ENDPOINT_URL_DYNAMODB / AWS_ENDPOINT_URL_CLOUDWATCH / AWS_ENDPOINT_URL_S3 (/ _SNS)
// when the endpoints are not AWS's own. Nothing here knows about local/.
import "server-only";
import { CloudWatchClient } from "@aws-sdk/client-cloudwatch";
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { S3Client } from "@aws-sdk/client-s3";
import { SNSClient } from "@aws-sdk/client-sns";
import { STSClient } from "@aws-sdk/client-sts";
import { defaultRegion } from "../config/config";

const globalClients = globalThis as unknown as {
  tscDynamoDb?: Map<string, DynamoDBClient>;
  tscCloudWatch?: CloudWatchClient;
  tscS3?: S3Client;
  tscSts?: STSClient;
  tscSns?: Map<string, SNSClient>;
};

/** One client per region: a storage instance's table lives in its own region. */
export function dynamoDbClient(region = defaultRegion()): DynamoDBClient {
  globalClients.tscDynamoDb ??= new Map();
  let client = globalClients.tscDynamoDb.get(region);
  if (!client) {
    client = new DynamoDBClient({ region, maxAttempts: 3 });
    globalClients.tscDynamoDb.set(region, client);
  }
  return client;
}

export function cloudWatchClient(): CloudWatchClient {
  globalClients.tscCloudWatch ??= new CloudWatchClient({ region: defaultRegion(), maxAttempts: 3 });
  return globalClients.tscCloudWatch;
}

export function s3Client(): S3Client {
  globalClients.tscS3 ??= new S3Client({ region: defaultRegion(), maxAttempts: 3 });
  return globalClients.tscS3;
}

/** A DynamoDB client signing with credentials vended for one tenant (AWS mode; see lib/storage/tenant-credentials.ts). */
export function tenantDynamoDbClient(
  region: string,
  credentials: () => Promise<{ accessKeyId: string; secretAccessKey: string; sessionToken?: string; expiration?: Date }>,
): DynamoDBClient {
  return new DynamoDBClient({ region, maxAttempts: 3, credentials });
}

export function stsClient(): STSClient {
  globalClients.tscSts ??= new STSClient({ region: defaultRegion(), maxAttempts: 3 });
  return globalClients.tscSts;
}

/** One client per region: alerts publish to an SNS topic in the topic's own region (AWS mode). */
export function snsClient(region = defaultRegion()): SNSClient {
  globalClients.tscSns ??= new Map();
  let client = globalClients.tscSns.get(region);
  if (!client) {
    client = new SNSClient({ region, maxAttempts: 3 });
    globalClients.tscSns.set(region, client);
  }
  return client;
}
