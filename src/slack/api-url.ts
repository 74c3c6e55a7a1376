/** Web API base URL as Slack's client wants it (with a trailing slash); SLACK_API_URL may omit it. */
export function slackApiBase(url: string): string {
  return url.endsWith('/') ? url : `${url}/`;
}
