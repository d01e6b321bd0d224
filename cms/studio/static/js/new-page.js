// The new-page form: the slug follows the title until the editor types a slug of their own.
(function () {
  "use strict";
  const title = document.getElementById("title");
  const slug = document.getElementById("slug");
  if (!title || !slug) return;
  let followsTitle = slug.value === "";

  function slugify(text) {
    return text
      .normalize("NFKD")
      .replace(/[\u0300-\u036f]/g, "")
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, "-")
      .replace(/^-+|-+$/g, "")
      .slice(0, 100);
  }

  title.addEventListener("input", function () {
    if (followsTitle) slug.value = slugify(title.value);
  });
  slug.addEventListener("input", function () {
    followsTitle = slug.value === "";
  });
})();
