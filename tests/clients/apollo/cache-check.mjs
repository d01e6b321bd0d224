// Reads one page in each of its states through Apollo Client's normalised InMemoryCache —
// as an editor (working copy, live revision, history) and as a reader holding a preview
// link — then reads the first query back from the cache. Prints what each query returned
// and what the cache gives back, as JSON, for tests/serving/test_client_caches.py to check.
// Usage: node cache-check.mjs BASE_URL SLUG EDITOR_TOKEN PREVIEW_TOKEN
import { ApolloClient, HttpLink, InMemoryCache, gql } from "@apollo/client";

const [baseUrl, slug, editorToken, previewToken] = process.argv.slice(2);

const WORKING = gql`
  query Working($slug: String!) {
    page(slug: $slug) { id title version sections { id title } }
  }
`;
const LIVE = gql`
  query Live($slug: String!) {
    page(slug: $slug) { id liveRevision { id title sections { sectionId title } } }
  }
`;
const HISTORY = gql`
  query History($slug: String!) {
    page(slug: $slug) {
      id
      revisions(first: 10) {
        edges { node { id number title sections { sectionId title } page { id title } } }
      }
    }
  }
`;
const REVISION = gql`
  query RevisionWithPage($id: ID!) {
    revision(id: $id) { id title page { id title } }
  }
`;
const READER_PAGE = gql`
  query ReaderPage($slug: String!) {
    page(slug: $slug) { id title sections { id title } }
  }
`;
const PREVIEW = gql`
  query Preview($token: String!) {
    preview(previewToken: $token) { pageId title sections { sectionId title } }
  }
`;

function client(headers) {
  return new ApolloClient({
    link: new HttpLink({ uri: `${baseUrl}/graphql`, headers }),
    cache: new InMemoryCache(),
  });
}

async function run(apollo, query, variables) {
  const { data, error } = await apollo.query({ query, variables, fetchPolicy: "network-only" });
  if (error) throw error;
  return data;
}

function fromCache(apollo, query, variables) {
  return apollo.readQuery({ query, variables });
}

const editor = client({ Authorization: `Bearer ${editorToken}` });
const working = await run(editor, WORKING, { slug });
const live = await run(editor, LIVE, { slug });
const history = await run(editor, HISTORY, { slug });
// Last, so that whatever it writes into the cache is what the working copy is read back as.
const revision = await run(editor, REVISION, { id: live.page.liveRevision.id });

const reader = client({});
const readerPage = await run(reader, READER_PAGE, { slug });
const preview = await run(reader, PREVIEW, { token: previewToken });

console.log(
  JSON.stringify({
    editor: { working, live, history, revision, workingFromCache: fromCache(editor, WORKING, { slug }) },
    reader: {
      page: readerPage,
      preview,
      pageFromCache: fromCache(reader, READER_PAGE, { slug }),
    },
  }),
);
