// Routing leads to specialist teams: an endpoint limited to topics receives only the leads researching one of them.
import type { TopicInterest } from '@inkling/core';

/**
 * How many of a lead's strongest topics routing looks at. Three: a lead reading mostly about payroll with a side
 * glance at reconciliation reaches both teams, while a topic it touched once among many does not pull in a team.
 */
export const ROUTING_TOP_TOPICS = 3;

/** Somewhere leads are sent, optionally limited to topics (lower-case, as pages carry them). */
export interface RoutedEndpoint {
  url: string;
  topics?: readonly string[] | undefined;
}

/**
 * Whether a lead with these topics (strongest first) goes to an endpoint: always when the endpoint lists no
 * topics, otherwise when one of the lead's {@link ROUTING_TOP_TOPICS} strongest topics is on its list.
 */
export function isRoutedTo(endpoint: RoutedEndpoint, topics: readonly TopicInterest[]): boolean {
  if (!endpoint.topics || endpoint.topics.length === 0) return true;
  const wanted = endpoint.topics;
  return topics.slice(0, ROUTING_TOP_TOPICS).some((topic) => wanted.includes(topic.name));
}

/** The URLs of the endpoints a lead with these topics goes to. */
export function getRoutedUrls(endpoints: readonly RoutedEndpoint[], topics: readonly TopicInterest[]): string[] {
  return endpoints.filter((endpoint) => isRoutedTo(endpoint, topics)).map((endpoint) => endpoint.url);
}
