/* The import preview's line roles without reloading the page: a role button (or its key on
   the line in focus) posts the preview form as its plain submit would, and the page the
   server answers with replaces this one's content, so the essays are seen reassembled at
   once. Without this script the buttons submit the form as they are. */
(function () {
  "use strict";
  if (!window.fetch || !window.DOMParser || !window.FormData) return;

  function form() { return document.getElementById("import-preview-form"); }

  function plainSubmit(button) {
    var f = form();
    var field = document.createElement("input");
    field.type = "hidden";
    field.name = "action";
    field.value = button.value;
    f.appendChild(field);
    f.submit();
  }

  function send(button) {
    var f = form();
    var line = button.closest(".role-line");
    var focusId = line ? line.id : null;
    var data = new FormData(f);
    data.set("action", button.value);
    f.classList.add("import-busy");
    // (f.action would be the buttons named "action")
    fetch(f.getAttribute("action") || window.location.href, { method: "POST", body: data, credentials: "same-origin" })
      .then(function (response) {
        return response.text().then(function (html) { return { url: response.url, html: html }; });
      })
      .then(function (answer) {
        var page = new DOMParser().parseFromString(answer.html, "text/html");
        var fresh = page.getElementById("content-main");
        if (!page.getElementById("import-preview-form") || !fresh) {
          window.location.assign(answer.url);  // parsing takes longer: the progress page
          return;
        }
        var oldMessages = document.querySelector("ul.messagelist");
        var newMessages = page.querySelector("ul.messagelist");
        if (oldMessages) oldMessages.remove();
        var main = document.getElementById("content-main");
        main.replaceWith(fresh);
        var content = document.getElementById("content") || fresh.parentNode;
        if (newMessages) content.parentNode.insertBefore(newMessages, content);
        window.history.replaceState(null, "", answer.url);
        var again = focusId && document.getElementById(focusId);
        if (again) again.focus();
      })
      .catch(function () { plainSubmit(button); });
  }

  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest("button.role-btn");
    if (!button || button.disabled) return;
    event.preventDefault();
    send(button);
  });

  document.addEventListener("keydown", function (event) {
    var line = event.target;
    if (!line.classList || !line.classList.contains("role-line")) return;
    if (event.altKey || event.ctrlKey || event.metaKey) return;
    var key = event.key;
    if (key === "ArrowDown" || key === "ArrowUp" || key === "j" || key === "k") {
      var next = key === "ArrowDown" || key === "j" ? line.nextElementSibling : line.previousElementSibling;
      if (next) next.focus();
      event.preventDefault();
      return;
    }
    var button = line.querySelector('button.role-btn[data-key="' + key.toLowerCase() + '"]');
    if (button && !button.disabled) {
      event.preventDefault();
      send(button);
    }
  });
})();
