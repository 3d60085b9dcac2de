"""Words chat users write in Title case that are not people: technology, products, formats, colours, food,
places.

Data only, written for this project. spaCy's small English model calls many of these PERSON in chat text
("use Kafka", "fine-tune a Whisper model", "reflection in Rust", "a Bolognese sauce"); a name span made only
of these words is dropped, and a word from here never starts or ends a name found by a rule. Lower case;
multi-word entries are matched as whole spans. Words that are also common given names ("Ruby", "Julia",
"Ada") are here on purpose: the name checker keeps them when a surname or a person cue comes with them.
"""
from __future__ import annotations

_LANGUAGES = """
python java javascript typescript kotlin scala rust golang go ruby julia haskell erlang elixir clojure perl php
lua dart swift objective-c fortran cobol pascal delphi lisp scheme racket prolog ocaml fsharp f# c# c++ matlab
octave stata sas spss mathematica wolfram verilog vhdl solidity assembly bash powershell zsh fish awk sed groovy
crystal nim zig vlang ada apex abap vba visual basic coffeescript elm purescript reasonml livescript smalltalk
simula algol racket tcl autohotkey gdscript hlsl glsl cuda opencl wasm webassembly latex tex markdown asciimath
mathml yaml toml json jsonl xml html css scss sass less sql plsql tsql mysql nosql graphql protobuf regex
"""
_TOOLS = """
react reactjs angular angularjs vue vuejs svelte sveltekit nextjs next.js nuxt gatsby remix astro ember backbone
jquery bootstrap tailwind tailwindcss material mui chakra antd redux mobx zustand rxjs webpack vite rollup
parcel babel eslint prettier jest mocha chai jasmine cypress playwright selenium puppeteer storybook node nodejs
deno bun express nestjs koa fastify django flask fastapi pyramid tornado starlette streamlit gradio dash plotly
bokeh matplotlib seaborn pandas numpy scipy sympy polars pyspark spark hadoop hive kafka flink storm beam airflow
luigi dagster prefect celery rabbitmq redis memcached zookeeper consul vault terraform ansible puppet chef
salt saltstack pulumi packer vagrant docker podman kubernetes k8s helm istio envoy nginx apache tomcat jetty
iis caddy traefik haproxy jenkins travis circleci gitlab github bitbucket git svn mercurial jira confluence trello
asana notion slack discord teams zoom skype webex figma sketch photoshop illustrator lightroom premiere
aftereffects blender maya unity unreal godot gamemaker roblox minecraft excel word powerpoint outlook onenote
sharepoint onedrive dropbox gdrive drive sheets docs gmail postman insomnia swagger openapi grafana prometheus
kibana elasticsearch elastic logstash splunk datadog sentry newrelic tableau powerbi looker metabase superset
jupyter colab kaggle anaconda conda pip pipenv poetry npm yarn pnpm maven gradle cmake make bazel cargo rustup
nuget composer gem rubygems bundler homebrew brew apt yum dnf pacman chocolatey winget termux tmux vim neovim
emacs nano vscode intellij pycharm webstorm eclipse netbeans xcode sublime atom spyder rstudio android ios ipados
macos osx linux ubuntu debian fedora centos redhat rhel arch manjaro mint alpine freebsd openbsd windows wsl
dos unix solaris chromeos chrome chromium firefox safari edge opera brave tor electron tauri flutter xamarin
ionic cordova capacitor expo swiftui uikit appkit jetpack compose qt gtk wxwidgets tkinter pyqt pyside kivy
pygame opencv pillow scikit sklearn scikit-learn tensorflow keras pytorch torch jax flax mxnet caffe theano onnx
tensorrt openvino huggingface transformers diffusers langchain llamaindex haystack spacy nltk gensim fasttext
word2vec glove bert roberta distilbert albert electra xlnet t5 bart gpt gpt-2 gpt-3 gpt-4 gpt4 gpt3 chatgpt
openai anthropic claude gemini bard palm llama mistral mixtral falcon vicuna alpaca koala dolly bloom qwen
deepseek grok phi gemma whisper dall-e dalle midjourney stable diffusion stablediffusion sdxl controlnet lora
comfyui automatic1111 sora runway elevenlabs copilot cursor tabnine codex perplexity poe character.ai jasper
writesonic grammarly quillbot duolingo anki notion obsidian roam evernote todoist mongodb mongo mongoose
postgres postgresql sqlite mariadb oracle cassandra couchdb couchbase dynamodb firestore firebase supabase
neo4j influxdb clickhouse snowflake bigquery redshift databricks duckdb prisma sequelize hibernate sqlalchemy
typeorm knex laravel symfony codeigniter rails sinatra spring springboot hibernate struts quarkus micronaut
blazor aspnet asp.net dotnet .net entity linq wpf winforms maui unittest pytest nose tox mypy pylint ruff
black flake8 isort pydantic marshmallow requests httpx aiohttp urllib beautifulsoup bs4 scrapy lxml jinja
jinja2 mustache handlebars ejs pug thymeleaf graphql apollo relay hasura grpc thrift avro parquet arrow orc
protobuf msgpack kafka pulsar nats mqtt zeromq socketio websocket websockets webrtc ffmpeg gstreamer vlc obs
audacity gimp inkscape krita canva wix squarespace wordpress drupal joomla shopify magento woocommerce
stripe paypal braintree square twilio sendgrid mailchimp hubspot salesforce zapier ifttt airtable monday
clickup basecamp heroku netlify vercel render fly.io digitalocean linode vultr cloudflare akamai fastly aws
amazon azure gcp ec2 s3 lambda cloudfront route53 rds dynamo sagemaker bedrock fargate ecs eks aks gke
cloudwatch iam cognito amplify appsync kinesis glue athena emr lightsail beanstalk openshift rancher
argo argocd fluxcd tekton spinnaker sonarqube nexus artifactory harbor quay dockerhub npmjs pypi conda-forge
arduino raspberry esp32 esp8266 stm32 micropython circuitpython platformio kicad eagle altium autocad
solidworks fusion revit sketchup rhino grasshopper ansys abaqus comsol simulink labview modelica
progressbar tqdm rich click typer argparse logging asyncio threading multiprocessing numba cython pypy
openpyxl xlsxwriter docx pptx reportlab pdfkit wkhtmltopdf pandoc sphinx mkdocs docusaurus hugo jekyll
"""
_PRODUCTS = """
google microsoft apple amazon meta facebook instagram whatsapp messenger twitter x tiktok snapchat pinterest
linkedin reddit youtube twitch netflix hulu disney spotify pandora soundcloud shazam uber lyft airbnb booking
expedia tripadvisor yelp doordash grubhub deliveroo instacart ebay etsy alibaba aliexpress temu shein walmart
target costco ikea tesla spacex starlink nvidia amd intel qualcomm arm samsung huawei xiaomi oppo vivo oneplus
sony nintendo playstation xbox steam epic valve ubisoft activision blizzard riot nokia motorola lenovo asus
acer dell hp ibm cisco vmware citrix adobe autodesk oracle sap intuit quickbooks xero paypal venmo zelle
cashapp revolut monzo wise coinbase binance kraken bitcoin ethereum solana dogecoin tether metamask opensea
bros inc ltd llc corp co gmbh plc pty
blu-ray hd-dvd dvd cd vhs usb hdmi bluetooth
iphone ipad macbook imac airpods kindle alexa echo siri cortana bixby pixel galaxy surface thinkpad chromebook
volkswagen vw toyota honda nissan hyundai kia chevrolet chevy porsche ferrari lamborghini maserati jeep subaru
mazda lexus volvo fiat peugeot renault skoda citroen bugatti bentley rolls-royce jaguar mitsubishi suzuki yamaha
kawasaki ducati harley bacardi smirnoff heineken budweiser corona absolut jameson hennessy moet pepsi coca-cola coke
starbucks mcdonalds kfc burger dominos nike adidas reebok gucci prada chanel versace zara uniqlo lego hasbro mattel
marvel pixar dreamworks hbo paramount warner nickelodeon cartoon crunchyroll funimation
fitbit garmin peloton strava gopro roomba nest ring dyson bose beats logitech razer corsair wacom
"""
_FORMATS = """
pdf docx doc xlsx xls csv tsv pptx ppt txt rtf odt ods epub mobi png jpg jpeg gif bmp tiff svg webp heic ico
mp3 mp4 wav flac aac ogg m4a avi mkv mov wmv webm zip rar tar gz 7z iso dmg apk exe msi deb rpm jar war
dll so dylib wasm json xml yaml html htm css js ts md rst ini cfg env toml lock log sql db sqlite parquet
feather hdf5 h5 pkl pickle npy npz pt pth ckpt safetensors gguf ggml onnx tflite mlmodel octet-stream
x-www-form-urlencoded form-data multipart javascript ecmascript plain utf-8 utf8 ascii unicode base64 hex
"""
# CSS/X11 named colours, and colour words people capitalise in design chats.
_COLOURS = """
aliceblue antiquewhite aqua aquamarine azure beige bisque black blanchedalmond blue blueviolet brown burlywood
cadetblue chartreuse chocolate coral cornflowerblue cornsilk crimson cyan darkblue darkcyan darkgoldenrod
darkgray darkgreen darkkhaki darkmagenta darkolivegreen darkorange darkorchid darkred darksalmon darkseagreen
darkslateblue darkslategray darkturquoise darkviolet deeppink deepskyblue dimgray dodgerblue firebrick
floralwhite forestgreen fuchsia gainsboro ghostwhite gold goldenrod gray grey green greenyellow honeydew hotpink
indianred indigo ivory khaki lavender lavenderblush lawngreen lemonchiffon lightblue lightcoral lightcyan
lightgoldenrodyellow lightgray lightgreen lightpink lightsalmon lightseagreen lightskyblue lightslategray
lightsteelblue lightyellow lime limegreen linen magenta maroon mediumaquamarine mediumblue mediumorchid
mediumpurple mediumseagreen mediumslateblue mediumspringgreen mediumturquoise mediumvioletred midnightblue
mintcream mistyrose moccasin navajowhite navy oldlace olive olivedrab orange orangered orchid palegoldenrod
palegreen paleturquoise palevioletred papayawhip peachpuff peru pink plum powderblue purple rebeccapurple red
rosybrown royalblue saddlebrown salmon sandybrown seagreen seashell sienna silver skyblue slateblue slategray
snow springgreen steelblue tan teal thistle tomato turquoise violet wheat white whitesmoke yellow yellowgreen
magenta cerulean vermilion ochre sepia taupe mauve periwinkle chartreuse cobalt ultramarine burgundy
"""
# Dishes, sauces and ingredients with proper-noun names.
_FOOD = """
bolognese carbonara alfredo marinara arrabbiata puttanesca pesto amatriciana cacciatore parmigiana parmesan
parmigiano mozzarella ricotta mascarpone gorgonzola pecorino provolone burrata feta halloumi brie camembert
cheddar gouda edam emmental gruyere roquefort stilton manchego asiago fontina romano ragu risotto gnocchi
lasagna lasagne tiramisu panna cotta bruschetta focaccia ciabatta panini calzone stromboli caprese
worcestershire tabasco sriracha tzatziki hummus tahini harissa chimichurri bechamel hollandaise bearnaise
veloute espagnole beurre remoulade aioli mayonnaise dijon teriyaki hoisin sambal gochujang kimchi bulgogi
bibimbap ramen udon soba sushi sashimi tempura miso katsu tonkatsu yakitori gyoza dumpling dim sum wonton
pho banh bao satay rendang laksa nasi goreng pad thai tom yum massaman biryani tikka masala korma vindaloo
tandoori paneer naan samosa pakora dal chutney raita falafel shawarma kebab gyro moussaka souvlaki baklava
paella gazpacho tapas chorizo jamon churros empanada tortilla tacos burrito quesadilla enchilada fajita
guacamole salsa mole pozole tamale ceviche arepa feijoada pierogi borscht goulash schnitzel bratwurst
sauerkraut strudel pretzel croissant baguette brioche quiche ratatouille bouillabaisse coq au vin crepe
souffle macaron eclair profiterole gelato sorbet sundae brownie cheesecake pavlova lamington scone crumpet
shortbread haggis poutine cioppino jambalaya gumbo etouffee cajun creole caesar waldorf cobb nicoise
reuben sloppy joe stroganoff wellington kiev benedict florentine rockefeller thermidor mornay sriracha
nutella oreo doritos cheetos pringles skittles nutri-grain cheerios kellogg heinz kraft nestle
"""
# Words that Title case makes look like names in headings, UI text, logs and forum posts.
_CHAT = """
admin user users server client input output string integer boolean float array list dict object null none true
false error warning info debug trace fatal exception traceback todo fixme note tip hint example sample demo
test tests main index home login logout signup dashboard settings profile account submit cancel ok okay yes no
left right top bottom center centre up down next previous back forward start stop pause play reset save load
open close new edit delete remove add insert update select create read write run build deploy install uninstall
convert want fast slow quick easy hard simple advanced basic pro premium free plus max mini lite ultra
chapter section part step phase level stage round episode season act scene verse page line item task question
answer solution problem summary introduction conclusion abstract overview background method methods results
discussion references appendix figure fig table tab eq equation lemma theorem proof corollary definition
voiceover narrator announcer commentator chorus crowd audience everybody anyone
app apps website websites webpage blog vlog email emails e-mail online offline internet wifi smartphone laptop
chatbot chatbots podcast podcasts selfie emoji emojis hashtag meme memes startup startups fintech crypto nft
username password login signin signup app-store playlist livestream streamer influencer vlogger youtuber
monday tuesday wednesday thursday friday saturday sunday january february march april may june july august
september october november december spring summer autumn fall winter
"""

# Countries, regions, US states and large cities that census given-name lists also hold (Florida, India).
_PLACES = """
afghanistan albania algeria america andorra angola argentina armenia australia austria azerbaijan bahamas
bahrain bangladesh barbados belarus belgium belize benin bhutan bolivia bosnia botswana brazil brunei bulgaria
burundi cambodia cameroon canada chad chile china colombia comoros congo croatia cuba cyprus czechia denmark
djibouti dominica ecuador egypt eritrea estonia eswatini ethiopia fiji finland france gabon gambia georgia
germany ghana greece grenada guatemala guinea guyana haiti honduras hungary iceland india indonesia iran iraq
ireland israel italy jamaica japan jordan kazakhstan kenya kiribati korea kosovo kuwait kyrgyzstan laos latvia
lebanon lesotho liberia libya liechtenstein lithuania luxembourg madagascar malawi malaysia maldives mali malta
mauritania mauritius mexico micronesia moldova monaco mongolia montenegro morocco mozambique myanmar namibia
nauru nepal netherlands nicaragua niger nigeria norway oman pakistan palau palestine panama paraguay peru
philippines poland portugal qatar romania russia rwanda samoa senegal serbia seychelles singapore slovakia
slovenia somalia spain sudan suriname sweden switzerland syria taiwan tajikistan tanzania thailand togo tonga
trinidad tunisia turkey turkmenistan tuvalu uganda ukraine uruguay uzbekistan vanuatu vatican venezuela vietnam
yemen zambia zimbabwe africa asia europe antarctica oceania arctic atlantic pacific caribbean scandinavia
alabama alaska arizona arkansas california colorado connecticut delaware florida hawaii idaho illinois indiana
iowa kansas kentucky louisiana maine maryland massachusetts michigan minnesota mississippi missouri montana
nebraska nevada hampshire jersey mexico york carolina dakota ohio oklahoma oregon pennsylvania rhode tennessee
texas utah vermont virginia washington wisconsin wyoming london paris berlin madrid rome moscow tokyo beijing
shanghai delhi mumbai dubai istanbul cairo lagos nairobi sydney melbourne toronto vancouver montreal chicago
boston seattle denver dallas houston atlanta miami phoenix austin detroit brooklyn manhattan hollywood
vegas orleans philadelphia baltimore nashville memphis portland sacramento oakland lisbon dublin vienna
prague warsaw budapest athens stockholm oslo copenhagen helsinki amsterdam brussels zurich geneva milan
naples venice florence barcelona seville valencia munich hamburg frankfurt cologne kyiv kiev odessa seoul
bangkok manila jakarta hanoi karachi lahore dhaka kolkata chennai bangalore hyderabad tehran baghdad riyadh
jerusalem beirut havana lima bogota santiago caracas quito rio janeiro paulo aires
"""

# Peoples, nationalities and languages as adjectives and plurals ("the Greeks", "New Church Slavic"), and
# fictional kinds that chat fans capitalise ("a Jedi", "Saiyan pride", "Pokémon fever").
_KINDS = """
american americans african africans european europeans asian asians british english french german germans
italian italians spanish spaniard portuguese dutch belgian swiss austrian greek greeks roman romans russian
russians ukrainian ukrainians polish pole poles czech slovak slovene slovenian croatian serbian bosnian
montenegrin macedonian bulgarian romanian hungarian albanian slavic slavonic slav slavs interslavic baltic
lithuanian latvian estonian finnish swedish swede swedes norwegian danish dane danes icelandic irish scottish
scot scots welsh canadian canadians mexican mexicans brazilian argentinian argentine chilean peruvian colombian
venezuelan cuban chinese japanese korean koreans vietnamese thai filipino filipinos indonesian malaysian malay
indian indians pakistani bangladeshi nepali afghan iranian persian iraqi syrian lebanese israeli israelis
palestinian palestinians jordanian saudi egyptian egyptians moroccan algerian tunisian libyan nigerian
nigerians ghanaian kenyan ethiopian somali turkish turk turks kurdish kurd kurds armenian georgian azerbaijani
kazakh uzbek mongol mongols mongolian tibetan tatar tatars australian australians kiwi maori hawaiian latino
latina latinos latinx hispanic arab arabs arabic hebrew jewish jew jews muslim muslims christian christians
catholic catholics protestant orthodox hindu hindus buddhist buddhists sikh atheist pagan viking vikings
celtic celt celts norse saxon saxons anglo gothic byzantine ottoman aztec aztecs maya mayan inca incan
jedi sith saiyan saiyans pokemon pokémon digimon yu-gi-oh avengers x-men autobot autobots decepticon
decepticons hobbit hobbits elf elves orc orcs dwarf dwarves wizard wizards muggle muggles klingon klingons
vulcan vulcans martian martians kaiju zombie zombies vampire vampires werewolf werewolves
"""


def _words(*blocks: str) -> frozenset[str]:
    return frozenset(w for b in blocks for w in b.split())


# Multi-word entries ("stable diffusion", "panna cotta") are kept joined by a space.
MULTI = frozenset({"stable diffusion", "panna cotta", "dim sum", "pad thai", "tom yum", "nasi goreng", "coq au vin",
                   "sloppy joe", "visual basic", "tikka masala", "google docs", "google sheets", "power bi",
                   "visual studio", "sublime text", "android studio", "jupyter notebook", "node js", "vue js",
                   "next js", "react native", "spring boot", "ruby on rails", "unreal engine", "final cut",
                   "logic pro", "pro tools", "big query", "cloud run", "app engine", "red hat"})
TECH = _words(_LANGUAGES, _TOOLS, _PRODUCTS, _FORMATS)
PLACES = _words(_PLACES)
NOT_PEOPLE = TECH | _words(_COLOURS, _FOOD, _CHAT, _KINDS)
