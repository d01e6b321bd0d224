// Prints the outline of a published page: its title and numbered headings, nested.
//
//   npm ci && node outline.mjs [BASE_URL] [SLUG]
//
// BASE_URL defaults to $CMS_URL or http://127.0.0.1:8000, SLUG to harvard-medical-school.
// Uses @urql/core, a mainstream GraphQL client, against the public API at /graphql.
import { Client, fetchExchange, gql } from "@urql/core";

const baseUrl = process.argv[2] ?? process.env.CMS_URL ?? "http://127.0.0.1:8000";
const slug = process.argv[3] ?? "harvard-medical-school";

const OUTLINE = gql`
  query Outline($slug: String!) {
    page(slug: $slug) {
      title
      sections {
        ...Heading
        children {
          ...Heading
          children {
            ...Heading
          }
        }
      }
    }
  }

  fragment Heading on Section {
    title
    anchor
    position
  }
`;

function printSections(sections, depth) {
  // Untitled sections are paragraphs without a heading: not part of an outline.
  for (const section of sections.filter((s) => s.title)) {
    const number = depth === 0 ? "-" : `${section.position + 1}.`;
    console.log(`${"  ".repeat(depth + 1)}${number} ${section.title} (#${section.anchor})`);
    printSections(section.children ?? [], depth + 1);
  }
}

const client = new Client({ url: new URL("/graphql", baseUrl).href, exchanges: [fetchExchange] });
const result = await client.query(OUTLINE, { slug }).toPromise();

if (result.error) {
  console.error(`GraphQL request failed: ${result.error.message}`);
  process.exit(1);
}
if (!result.data.page) {
  console.error(`No published page with the slug "${slug}".`);
  process.exit(1);
}
console.log(result.data.page.title);
printSections(result.data.page.sections, 0);
