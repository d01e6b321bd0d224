// The editor's section tree: nested <ol>s of <li class="section-item">, reordered and
// reparented by drag and drop (SortableJS, nested lists) or by each section's buttons
// (move up/down, indent/outdent), so it works without a mouse. It only changes the DOM and
// reports what moved; editor.js saves it.
(function () {
  "use strict";

  function itemsOf(list) {
    return Array.prototype.filter.call(list.children, function (child) {
      return child.classList.contains("section-item");
    });
  }

  function childList(item) {
    return item.querySelector(":scope > ol.section-tree");
  }

  function parentItem(item) {
    return item.parentElement.closest("li.section-item");
  }

  function depthOf(item) {
    let depth = 0;
    let parent = parentItem(item);
    while (parent) {
      depth += 1;
      parent = parentItem(parent);
    }
    return depth;
  }

  // Levels below the item itself (0 for a section without children).
  function heightOf(item) {
    const children = itemsOf(childList(item));
    return children.length ? 1 + Math.max.apply(null, children.map(heightOf)) : 0;
  }

  function placeOf(item) {
    const parent = parentItem(item);
    return {
      parentId: parent ? parent.dataset.id : null,
      position: itemsOf(item.parentElement).indexOf(item),
    };
  }

  function titleOf(item) {
    const input = item.querySelector(".section-title");
    return (input && input.value.trim()) || "Untitled section";
  }

  function create(root, options) {
    const maxDepth = options.maxDepth;
    const onMove = options.onMove;

    function describe(item) {
      const siblings = itemsOf(item.parentElement);
      const parent = parentItem(item);
      const where = parent ? "inside “" + titleOf(parent) + "”" : "at the top level";
      return (
        "“" + titleOf(item) + "” is now " + (siblings.indexOf(item) + 1) + " of " +
        siblings.length + " " + where + "."
      );
    }

    function refreshButtons() {
      root.querySelectorAll("li.section-item > ol.section-tree").forEach(function (list) {
        list.dataset.depth = String(depthOf(list.parentElement) + 1);
      });
      root.querySelectorAll("li.section-item").forEach(function (item) {
        const siblings = itemsOf(item.parentElement);
        const index = siblings.indexOf(item);
        const previous = siblings[index - 1];
        const depth = depthOf(item);
        item.dataset.depth = String(depth);
        const canIndent = previous && depth + 1 + heightOf(item) <= maxDepth;
        setEnabled(item, "up", index > 0);
        setEnabled(item, "down", index < siblings.length - 1);
        setEnabled(item, "indent", Boolean(canIndent));
        setEnabled(item, "outdent", depth > 0);
        setEnabled(item, "add-child", depth < maxDepth);
      });
    }

    function setEnabled(item, action, enabled) {
      const button = item.querySelector(':scope > .section-card [data-action="' + action + '"]');
      if (button) button.disabled = !enabled;
    }

    function moved(item) {
      refreshButtons();
      onMove(item, placeOf(item), describe(item));
    }

    function move(item, action) {
      const siblings = itemsOf(item.parentElement);
      const index = siblings.indexOf(item);
      if (action === "up" && index > 0) {
        item.parentElement.insertBefore(item, siblings[index - 1]);
      } else if (action === "down" && index < siblings.length - 1) {
        item.parentElement.insertBefore(siblings[index + 1], item);
      } else if (action === "indent" && index > 0) {
        childList(siblings[index - 1]).appendChild(item);
      } else if (action === "outdent" && parentItem(item)) {
        const parent = parentItem(item);
        parent.parentElement.insertBefore(item, parent.nextSibling);
      } else {
        return false;
      }
      moved(item);
      return true;
    }

    function enableDragging(list) {
      window.Sortable.create(list, {
        group: "sections",
        handle: ".drag-handle",
        draggable: ".section-item",
        animation: 150,
        fallbackOnBody: true,
        swapThreshold: 0.65,
        // Mouse and touch events rather than HTML5 drag and drop: works the same on phones.
        forceFallback: true,
        onStart: function () {
          root.classList.add("is-dragging");
        },
        onMove: function (event) {
          const targetDepth = Number(event.to.dataset.depth || 0);
          return targetDepth + heightOf(event.dragged) <= maxDepth;
        },
        onEnd: function (event) {
          root.classList.remove("is-dragging");
          if (event.from !== event.to || event.oldIndex !== event.newIndex) {
            moved(event.item);
          }
        },
      });
    }

    enableDragging(root);
    root.querySelectorAll("ol.section-tree").forEach(enableDragging);
    root.dataset.depth = "0";
    refreshButtons();

    return {
      move: move,
      refresh: refreshButtons,
      placeOf: placeOf,
      depthOf: depthOf,
      itemsOf: itemsOf,
      childList: childList,
      // A new item is in the DOM: let its (empty) child list take drops too.
      adopt: function (item) {
        enableDragging(childList(item));
        refreshButtons();
      },
      describe: describe,
    };
  }

  window.SectionTree = { create: create, titleOf: titleOf };
})();
