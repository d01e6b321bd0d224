// One Markdown editor (EasyMDE, vendored: CodeMirror 5 inside) per section, configured to
// load nothing from the network: no Font Awesome (toolbar buttons are labelled with text),
// no spell-check dictionaries, no preview of its own (the page preview beside it is the
// reader site's rendering).
(function () {
  "use strict";

  // The visible text is the button's whole name (EasyMDE adds the shortcut to the tooltip).
  function button(name, action, text) {
    return { name: name, action: action, text: text, title: text, className: "md-button" };
  }

  // insertImage(editor), if given, is the toolbar's "Image" button (js/image-picker.js).
  function create(textarea, titleInput, insertImage) {
    const E = window.EasyMDE;
    const images = insertImage ? ["|", button("insert-image", insertImage, "Image")] : [];
    const editor = new E({
      element: textarea,
      autoDownloadFontAwesome: false,
      spellChecker: false,
      nativeSpellcheck: true,
      status: false,
      forceSync: true,
      minHeight: "7rem",
      autofocus: false,
      toolbar: [
        button("bold", E.toggleBold, "Bold"),
        button("italic", E.toggleItalic, "Italic"),
        button("heading", E.toggleHeadingSmaller, "Heading"),
        "|",
        button("unordered-list", E.toggleUnorderedList, "List"),
        button("ordered-list", E.toggleOrderedList, "Numbered"),
        button("quote", E.toggleBlockquote, "Quote"),
        button("link", E.drawLink, "Link"),
      ].concat(images),
    });
    // Tab and Shift-Tab move the focus on, as everywhere else on the page (CodeMirror would
    // indent instead: a keyboard trap); list indenting stays on the toolbar.
    const keys = Object.assign({}, editor.codemirror.getOption("extraKeys"), {
      Tab: false,
      "Shift-Tab": false,
    });
    editor.codemirror.setOption("extraKeys", keys);
    // CodeMirror's own input has no label: name it after the section.
    const input = editor.codemirror.getInputField();
    const describe = function () {
      const heading = titleInput.value.trim() || "untitled section";
      input.setAttribute("aria-label", "Text of " + heading + " (Markdown)");
    };
    describe();
    titleInput.addEventListener("input", describe);
    return editor;
  }

  window.StudioMarkdown = { create: create };
})();
